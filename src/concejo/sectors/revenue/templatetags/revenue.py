from django import template

from concejo.sectors.revenue.rules import euros as euros_text

register = template.Library()


@register.filter
def euros(amount_cents) -> str:
    """Cents as Spanish-formatted euros: 123456 → 1.234,56 €."""
    if amount_cents in (None, ""):
        return "—"
    return euros_text(int(amount_cents))


@register.filter
def amount_input(amount_cents) -> str:
    """Cents as a form's amount: 58500 → 585,00."""
    whole, part = divmod(int(amount_cents or 0), 100)
    return f"{whole},{part:02d}"
