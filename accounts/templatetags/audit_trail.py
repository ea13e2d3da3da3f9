from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_change_rows(context, entry):
    """`{% audit_change_rows entry as rows %}`: the entry's changes as rows for the signed-in
    reader (restricted values only for the roles that may read them). Templates never walk
    `entry.changes` itself."""
    request = context.get("request")
    return entry.change_rows(getattr(request, "user", None))
