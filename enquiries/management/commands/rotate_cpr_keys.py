from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from enquiries import key_rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored CPR number with the first key of CPR_ENCRYPTION_KEYS "
        "(--digests: recompute the look-up digests with CPR_HASH_KEY). Idempotent and "
        "resumable; safe while the application runs. See docs/security.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--digests",
            action="store_true",
            help="Recompute the digests with CPR_HASH_KEY instead (after changing it).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count the numbers under each encryption key; change nothing.",
        )
        parser.add_argument("--batch-size", type=int, default=key_rotation.BATCH_SIZE)

    def handle(self, *args, digests=False, check=False, batch_size=500, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not settings.CPR_ENCRYPTION_KEYS:
            raise CommandError("CPR_ENCRYPTION_KEYS is not set.")
        result = None if check else self._rotate(digests=digests, batch_size=batch_size)
        usage = self._show_key_usage(batch_size=batch_size)
        if result is not None:
            self._say_which_keys_can_go(result, usage, digests=digests)

    def _rotate(self, *, digests: bool, batch_size: int) -> key_rotation.Rotation:
        if digests:
            result = key_rotation.rotate_digests(batch_size=batch_size)
            what = "digests recomputed with CPR_HASH_KEY"
        else:
            result = key_rotation.rotate_encryption(batch_size=batch_size)
            what = "numbers re-encrypted with the first key"
        self.stdout.write(
            f"{result.changed:,} {what}; {result.current:,} already current; "
            f"{result.unreadable:,} unreadable; {result.conflicts:,} conflicts."
        )
        return result

    def _show_key_usage(self, *, batch_size: int) -> Counter[int | None]:
        """Count the numbers each key opens; refuse numbers no key opens."""
        usage = key_rotation.key_usage(batch_size=batch_size)
        for index, count in sorted(usage.items(), key=lambda item: (item[0] is None, item[0])):
            label = "no key" if index is None else f"key {index + 1}"
            self.stdout.write(f"  {label} of CPR_ENCRYPTION_KEYS opens {count:,} numbers")
        if usage[None]:
            raise CommandError(
                f"{usage[None]:,} CPR numbers decrypt with none of CPR_ENCRYPTION_KEYS: "
                "add the key they were written with."
            )
        return usage

    def _say_which_keys_can_go(
        self, result: key_rotation.Rotation, usage: Counter[int | None], *, digests: bool
    ) -> None:
        if not digests and set(usage) <= {0}:
            self.stdout.write(
                self.style.SUCCESS(
                    "Every number is under the first key: the other keys can be removed."
                )
            )
        if digests and settings.CPR_HASH_KEY_PREVIOUS:
            if result.unreadable or result.conflicts:
                raise CommandError("Some digests could not be recomputed; keep the old key.")
            self.stdout.write(
                self.style.SUCCESS(
                    "Every digest is under CPR_HASH_KEY: CPR_HASH_KEY_PREVIOUS can be removed."
                )
            )
