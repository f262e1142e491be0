import datetime as dt

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concejo.core.admin_forms import ServiceAdmin
from concejo.deadlines import services
from concejo.deadlines.models import LocalCalendar


class LocalCalendarForm(forms.ModelForm):
    holidays = forms.CharField(
        label=_("Fiestas locales"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Una por línea: AAAA-MM-DD Nombre de la fiesta (como máximo dos al año)."),
    )

    class Meta:
        model = LocalCalendar
        fields = ("municipality_ine", "municipality_name", "year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["holidays"].initial = "\n".join(
                f"{h.date.isoformat()} {h.name}" for h in self.instance.holidays.all()
            )

    def clean_holidays(self):
        parsed = []
        for number, line in enumerate(self.cleaned_data["holidays"].splitlines(), 1):
            if not line.strip():
                continue
            raw_date, _sep, name = line.strip().partition(" ")
            try:
                day = dt.date.fromisoformat(raw_date)
            except ValueError as exc:
                raise forms.ValidationError(
                    _("Línea %(n)s: la fecha debe escribirse AAAA-MM-DD.") % {"n": number}
                ) from exc
            parsed.append((day, name.strip()))
        return parsed


@admin.register(LocalCalendar)
class LocalCalendarAdmin(ServiceAdmin):
    form = LocalCalendarForm
    list_display = ("municipality_name", "municipality_ine", "year", "holiday_list")
    list_filter = ("year",)
    search_fields = ("municipality_name", "municipality_ine")

    @admin.display(description=_("Fiestas locales"))
    def holiday_list(self, obj):
        return ", ".join(f"{h.date:%d/%m} {h.name}" for h in obj.holidays.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("holidays")

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        return services.local_calendar_set(
            actor=actor,
            municipality_ine=data["municipality_ine"],
            municipality_name=data["municipality_name"],
            year=data["year"],
            holidays=data["holidays"],
        )
