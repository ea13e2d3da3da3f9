"""{% purpose "medical" %}: the stated purpose of a category of sensitive data (accounts.purposes)."""

from django import template

from accounts.purposes import purpose_of

register = template.Library()


@register.simple_tag
def purpose(key):
    return purpose_of(key)
