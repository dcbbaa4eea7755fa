from enum import StrEnum


class GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0(StrEnum):
    AR = "ar"
    EN = "en"

    def __str__(self) -> str:
        return str(self.value)
