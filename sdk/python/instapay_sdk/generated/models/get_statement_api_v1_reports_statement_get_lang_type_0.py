from enum import StrEnum


class GetStatementApiV1ReportsStatementGetLangType0(StrEnum):
    AR = "ar"
    EN = "en"

    def __str__(self) -> str:
        return str(self.value)
