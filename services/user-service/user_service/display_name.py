"""The masked name shown to someone who is not the user."""


def masked_display_name(full_name: str) -> str:
    """ "Ahmed Mohamed Ali" -> "Ahmed A.": enough to confirm a recipient, not to identify a stranger."""
    parts = full_name.split()
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][0].upper()}."
