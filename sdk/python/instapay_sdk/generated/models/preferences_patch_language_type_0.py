from enum import StrEnum


class PreferencesPatchLanguageType0(StrEnum):
    AR = "ar"
    EN = "en"

    def __str__(self) -> str:
        return str(self.value)
