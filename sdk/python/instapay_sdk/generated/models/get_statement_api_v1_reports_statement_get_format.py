from enum import StrEnum


class GetStatementApiV1ReportsStatementGetFormat(StrEnum):
    CSV = "csv"
    JSON = "json"

    def __str__(self) -> str:
        return str(self.value)
