"""Data: the late-payment interest rates in force since 2015 (LGT art. 26.6).

Each Ley de Presupuestos Generales sets the year's rate; while a budget is
prorogued the last one stays in force. Later rates are added in the admin.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

RATES = [
    (dt.date(2015, 1, 1), Decimal("4.3750"), "Ley 36/2014, de Presupuestos Generales para 2015"),
    (dt.date(2016, 1, 1), Decimal("3.7500"), "Ley 48/2015, de Presupuestos Generales para 2016"),
    (dt.date(2023, 1, 1), Decimal("4.0625"), "Ley 31/2022, de Presupuestos Generales para 2023"),
]


def load(apps, schema_editor):
    InterestRate = apps.get_model("revenue", "InterestRate")
    for valid_from, percent, source in RATES:
        InterestRate.objects.get_or_create(
            valid_from=valid_from, defaults={"percent": percent, "source": source}
        )


def unload(apps, schema_editor):
    InterestRate = apps.get_model("revenue", "InterestRate")
    InterestRate.objects.filter(valid_from__in=[r[0] for r in RATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("revenue", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
