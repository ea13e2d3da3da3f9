"""Amounts in templates: `{% load money %}` then `{{ item.cash_amount|money:item.currency }}`."""
from django import template

from core import numbers

register = template.Library()


@register.filter
def money(amount, currency="XOF"):
    """12500 → "12 500 FCFA" (French grouping, "FCFA" for the CFA franc)."""
    return numbers.money(amount, currency)


@register.filter
def grouped(number):
    """12500 → "12 500"."""
    return numbers.grouped(number)
