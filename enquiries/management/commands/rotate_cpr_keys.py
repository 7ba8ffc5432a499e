from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from enquiries import key_rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every ciphertext under CPR_ENCRYPTION_KEYS (CPR numbers, IMAP "
        "passwords, the CPR numbers and raw messages of inbound mail: every "
        "EncryptedTextField and EncryptedFileField) with its first key (--digests: "
        "recompute the look-up digests with CPR_HASH_KEY). Idempotent and resumable; "
        "safe while the application runs. See docs/security.md."
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
            help="Only count the ciphertexts under each encryption key; change nothing.",
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
            what = "ciphertexts re-encrypted with the first key"
        self.stdout.write(
            f"{result.changed:,} {what}; {result.current:,} already current; "
            f"{result.unreadable:,} unreadable; {result.conflicts:,} conflicts."
        )
        for name, done in result.fields.items():
            self.stdout.write(
                f"  {name}: {done.changed:,} re-encrypted, {done.current:,} current, "
                f"{done.unreadable:,} unreadable, {done.conflicts:,} changed meanwhile"
            )
        return result

    def _show_key_usage(self, *, batch_size: int) -> Counter[int | None]:
        """Count the ciphertexts each key opens, field by field; refuse any no key opens."""
        usage: Counter[int | None] = Counter()
        for model_field in key_rotation.encrypted_fields():
            counted = key_rotation.key_usage(batch_size=batch_size, fields=[model_field])
            usage.update(counted)
            for index, count in sorted(
                counted.items(), key=lambda item: (item[0] is None, item[0])
            ):
                key = "no key" if index is None else f"key {index + 1}"
                self.stdout.write(
                    f"  {key} of CPR_ENCRYPTION_KEYS opens {count:,} of "
                    f"{key_rotation.label(model_field)}"
                )
        if usage[None]:
            raise CommandError(
                f"{usage[None]:,} ciphertexts decrypt with none of CPR_ENCRYPTION_KEYS: "
                "add the key they were written with."
            )
        return usage

    def _say_which_keys_can_go(
        self, result: key_rotation.Rotation, usage: Counter[int | None], *, digests: bool
    ) -> None:
        if not digests and set(usage) <= {0}:
            self.stdout.write(
                self.style.SUCCESS(
                    "Every ciphertext is under the first key: the other keys can be removed."
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
