"""Local holidays per municipality and year (national and regional ones come from `holidays`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import BaseModel


class LocalCalendar(BaseModel):
    """The local holidays a municipality set for one year; its existence marks the year loaded."""

    municipality_ine = models.CharField(_("código INE del municipio"), max_length=5)
    municipality_name = models.CharField(_("municipio"), max_length=100)
    year = models.PositiveSmallIntegerField(_("año"))

    class Meta:
        verbose_name = _("calendario local")
        verbose_name_plural = _("calendarios locales")
        ordering = ("municipality_ine", "year")
        constraints = [
            models.UniqueConstraint(fields=["municipality_ine", "year"], name="local_calendar_once")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_name} {self.year}"


class LocalHoliday(models.Model):
    calendar = models.ForeignKey(
        LocalCalendar,
        verbose_name=_("calendario"),
        on_delete=models.CASCADE,
        related_name="holidays",
    )
    date = models.DateField(_("fecha"))
    name = models.CharField(_("festividad"), max_length=150)

    class Meta:
        verbose_name = _("fiesta local")
        verbose_name_plural = _("fiestas locales")
        ordering = ("date",)
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="local_holiday_once")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
