"""`migrate`, run as the schema owner when DATABASE_MIGRATE_URL is set (the application's own
role, DATABASE_URL, may not alter tables); the application role's grants are then re-applied."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand

from accounts.dbroles import as_schema_owner


class Command(MigrateCommand):
    def handle(self, *args, **options):
        alias = options["database"]
        with as_schema_owner(alias) as as_owner:
            super().handle(*args, **options)
        if as_owner and settings.DATABASES[alias].get("USER") != settings.DATABASE_OWNER.get("USER"):
            call_command("grant_app_role", database=alias, verbosity=options["verbosity"])
