"""Forms of the employees' desk. They check shapes; services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from concejo.people.models import IdType
from concejo.registry.models import Validity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class RegistryDeskForm(forms.Form):
    id_type = forms.ChoiceField(label=_("Tipo de documento"), choices=IdType.choices)
    id_number = forms.CharField(label=_("Número de documento"), max_length=20)
    first_name = forms.CharField(label=_("Nombre"), max_length=100, required=False)
    last_name_1 = forms.CharField(label=_("Primer apellido"), max_length=100, required=False)
    last_name_2 = forms.CharField(label=_("Segundo apellido"), max_length=100, required=False)
    business_name = forms.CharField(label=_("Razón social"), max_length=200, required=False)
    email = forms.CharField(label=_("Correo electrónico"), max_length=254, required=False)
    phone = forms.CharField(label=_("Teléfono"), max_length=20, required=False)
    address = forms.CharField(label=_("Dirección"), max_length=300, required=False)
    postal_code = forms.CharField(label=_("Código postal"), max_length=5, required=False)
    municipality = forms.CharField(label=_("Municipio"), max_length=100, required=False)
    municipality_ine = forms.CharField(
        label=_("Código INE del municipio"), max_length=5, required=False
    )
    subject = forms.CharField(label=_("Asunto"), max_length=250)
    expone = forms.CharField(
        label=_("Expone"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    solicita = forms.CharField(
        label=_("Solicita"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    destination_unit = forms.ChoiceField(label=_("Unidad destinataria"), required=False)
    procedure = forms.ChoiceField(label=_("Procedimiento"), required=False)
    office = forms.ChoiceField(label=_("Oficina"))
    attachments = MultipleFileField(label=_("Documentos escaneados"), required=False)
    validity = forms.ChoiceField(
        label=_("Validez de los documentos"),
        choices=Validity.choices,
        initial=Validity.AUTHENTIC_COPY,
    )

    def __init__(self, *args, units=(), procedures=(), offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_unit"].choices = [("", _("Registro general"))] + [
            (u.dir3_code, f"{u.name} ({u.dir3_code})") for u in units
        ]
        self.fields["procedure"].choices = [
            ("", _("— Sin procedimiento (instancia general) —"))
        ] + [(v.procedure.sia_code, v.name) for v in procedures]
        self.fields["office"].choices = [(o.code, o.name) for o in offices]


class MoveForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", "accept"), ("forward", "forward"), ("return", "return")]
    )
    to_unit = forms.CharField(required=False, max_length=21)
    reason = forms.CharField(required=False, max_length=2000)


class AnnotationForm(forms.Form):
    text = forms.CharField(
        label=_("Anotación"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
