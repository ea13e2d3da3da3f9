from django.core.management.base import BaseCommand

from accounts.chain import checkpoint_audit_chain, seal_audit_chain


class Command(BaseCommand):
    help = ("Seal every audit entry not yet sealed onto the chain (in id order), then write a "
            "checkpoint of the chain head when one is due. Idempotent; safe if two run at once.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true",
                            help="write a checkpoint now if the head moved, whatever its age")
        parser.add_argument("--full", action="store_true",
                            help="look for unsealed entries among all of them, not only the recent ones")

    def handle(self, *args, **options):
        sealed = seal_audit_chain(full=options["full"])
        checkpoint = checkpoint_audit_chain(force=options["checkpoint"])
        message = f"{sealed} entrée(s) scellée(s)."
        if checkpoint is not None:
            message += f" Point de contrôle : {checkpoint.seal_count} sceaux, tête {checkpoint.head_hash[:12]}…"
        self.stdout.write(message)
