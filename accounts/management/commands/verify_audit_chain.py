from django.core.management.base import BaseCommand, CommandError

from accounts.verification import verify_audit_trail


class Command(BaseCommand):
    help = ("Verify the audit trail: every entry against its seal, the chain of seals, and the "
            "checkpoints (table and AUDIT_CHECKPOINT_FILE). Exits non-zero when anything is broken.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="problems listed at most")

    def handle(self, *args, **options):
        report = verify_audit_trail(limit=options["limit"])
        if report.ok:
            self.stdout.write(
                f"Journal d'audit intègre : {report.entries} entrées, {report.seals} sceaux, "
                f"{report.checkpoints} points de contrôle en base, {report.checkpoint_lines} dans le fichier."
            )
            return
        lines = "\n".join(f"- {p.message}" for p in report.problems)
        raise CommandError(
            f"Journal d'audit altéré ({len(report.problems)} problème(s) ; {report.entries} entrées, "
            f"{report.seals} sceaux) :\n{lines}"
        )
