"""Contains all the data models used in inputs/outputs"""

from .accept_in import AcceptIn
from .admin_list_disputes_api_v1_admin_disputes_get_status_type_0 import (
    AdminListDisputesApiV1AdminDisputesGetStatusType0,
)
from .admin_user_page import AdminUserPage
from .admin_wallet import AdminWallet
from .admin_wallet_status import AdminWalletStatus
from .approval import Approval
from .approval_page import ApprovalPage
from .approval_payload import ApprovalPayload
from .approval_result_type_0 import ApprovalResultType0
from .approval_status import ApprovalStatus
from .audit_entry import AuditEntry
from .audit_entry_details import AuditEntryDetails
from .audit_page import AuditPage
from .bank_destination import BankDestination
from .body_token_api_v1_auth_token_post import BodyTokenApiV1AuthTokenPost
from .callback_answer import CallbackAnswer
from .callback_answer_status import CallbackAnswerStatus
from .client_create_request import ClientCreateRequest
from .client_create_request_scopes_item import ClientCreateRequestScopesItem
from .client_created import ClientCreated
from .client_list import ClientList
from .client_out import ClientOut
from .code_request import CodeRequest
from .counterparty import Counterparty
from .dispute import Dispute
from .dispute_in import DisputeIn
from .dispute_in_reason import DisputeInReason
from .dispute_page import DisputePage
from .dispute_reason import DisputeReason
from .dispute_ref import DisputeRef
from .dispute_ref_reason import DisputeRefReason
from .dispute_ref_status import DisputeRefStatus
from .dispute_resolution_in import DisputeResolutionIn
from .dispute_resolution_in_outcome import DisputeResolutionInOutcome
from .dispute_role import DisputeRole
from .dispute_status import DisputeStatus
from .email_change_request import EmailChangeRequest
from .endpoint_create import EndpointCreate
from .endpoint_create_events_item import EndpointCreateEventsItem
from .endpoint_update import EndpointUpdate
from .endpoint_update_events_type_0_item import EndpointUpdateEventsType0Item
from .endpoint_update_status_type_0 import EndpointUpdateStatusType0
from .favourite import Favourite
from .favourite_in import FavouriteIn
from .favourite_list import FavouriteList
from .field_error import FieldError
from .freeze_in import FreezeIn
from .funding_source import FundingSource
from .funding_source_ref import FundingSourceRef
from .funding_source_ref_type import FundingSourceRefType
from .funding_source_type import FundingSourceType
from .get_receipt_api_v1_transactions_transaction_id_receipt_pdf_get_lang_type_0 import (
    GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0,
)
from .get_statement_api_v1_reports_statement_get_format import GetStatementApiV1ReportsStatementGetFormat
from .get_statement_api_v1_reports_statement_get_lang_type_0 import GetStatementApiV1ReportsStatementGetLangType0
from .granularity import Granularity
from .http_validation_error import HTTPValidationError
from .jwk import Jwk
from .jwks import Jwks
from .limit_overrides import LimitOverrides
from .limits_in import LimitsIn
from .list_approvals_api_v1_admin_approvals_get_status_type_0 import ListApprovalsApiV1AdminApprovalsGetStatusType0
from .list_disputes_api_v1_disputes_get_status_type_0 import ListDisputesApiV1DisputesGetStatusType0
from .list_requests_api_v1_payment_requests_get_role_type_0 import ListRequestsApiV1PaymentRequestsGetRoleType0
from .list_requests_api_v1_payment_requests_get_status_type_0 import ListRequestsApiV1PaymentRequestsGetStatusType0
from .list_transactions_api_v1_transactions_get_direction_type_0 import (
    ListTransactionsApiV1TransactionsGetDirectionType0,
)
from .list_transactions_api_v1_transactions_get_type_type_0 import ListTransactionsApiV1TransactionsGetTypeType0
from .login_request import LoginRequest
from .logout_request import LogoutRequest
from .lookup_result import LookupResult
from .notification import Notification
from .notification_data import NotificationData
from .notification_page import NotificationPage
from .overview import Overview
from .overview_counts import OverviewCounts
from .overview_day import OverviewDay
from .overview_users import OverviewUsers
from .overview_volume import OverviewVolume
from .party import Party
from .password_change_request import PasswordChangeRequest
from .password_forgot_request import PasswordForgotRequest
from .password_reset_request import PasswordResetRequest
from .payment_link import PaymentLink
from .payment_link_in import PaymentLinkIn
from .payment_link_page import PaymentLinkPage
from .payment_link_status import PaymentLinkStatus
from .payment_request import PaymentRequest
from .payment_request_created_webhook import PaymentRequestCreatedWebhook
from .payment_request_data import PaymentRequestData
from .payment_request_data_role import PaymentRequestDataRole
from .payment_request_in import PaymentRequestIn
from .payment_request_page import PaymentRequestPage
from .payment_request_paid_webhook import PaymentRequestPaidWebhook
from .payment_request_status import PaymentRequestStatus
from .phone_change_request import PhoneChangeRequest
from .pin_request import PinRequest
from .platform_health import PlatformHealth
from .platform_health_services import PlatformHealthServices
from .platform_health_services_additional_property import PlatformHealthServicesAdditionalProperty
from .platform_health_status import PlatformHealthStatus
from .preferences import Preferences
from .preferences_language import PreferencesLanguage
from .preferences_patch import PreferencesPatch
from .preferences_patch_language_type_0 import PreferencesPatchLanguageType0
from .problem import Problem
from .profile_out import ProfileOut
from .profile_patch import ProfilePatch
from .receive_code import ReceiveCode
from .recent_recipient import RecentRecipient
from .recent_recipients import RecentRecipients
from .reconciliation import Reconciliation
from .reconciliation_item import ReconciliationItem
from .refresh_request import RefreshRequest
from .refund_created_webhook import RefundCreatedWebhook
from .refund_data import RefundData
from .refund_data_role import RefundDataRole
from .refund_in import RefundIn
from .refund_ref import RefundRef
from .refund_ref_type import RefundRefType
from .register_request import RegisterRequest
from .register_response import RegisterResponse
from .replay_accepted import ReplayAccepted
from .resolved_payment_link import ResolvedPaymentLink
from .scheduled_transfer import ScheduledTransfer
from .scheduled_transfer_in import ScheduledTransferIn
from .scheduled_transfer_in_repeat import ScheduledTransferInRepeat
from .scheduled_transfer_page import ScheduledTransferPage
from .scheduled_transfer_patch import ScheduledTransferPatch
from .scheduled_transfer_patch_status_type_0 import ScheduledTransferPatchStatusType0
from .scheduled_transfer_repeat import ScheduledTransferRepeat
from .scheduled_transfer_status import ScheduledTransferStatus
from .session_list import SessionList
from .session_out import SessionOut
from .statement import Statement
from .statement_counterparty import StatementCounterparty
from .statement_item import StatementItem
from .statement_item_direction import StatementItemDirection
from .summary import Summary
from .summary_amount import SummaryAmount
from .summary_breakdown import SummaryBreakdown
from .summary_granularity import SummaryGranularity
from .summary_point import SummaryPoint
from .timeline_step import TimelineStep
from .timeline_step_status import TimelineStepStatus
from .token_response import TokenResponse
from .top_counterparty import TopCounterparty
from .topup_completed_webhook import TopupCompletedWebhook
from .topup_in import TopupIn
from .transaction import Transaction
from .transaction_detail import TransactionDetail
from .transaction_detail_direction import TransactionDetailDirection
from .transaction_detail_status import TransactionDetailStatus
from .transaction_detail_type import TransactionDetailType
from .transaction_direction import TransactionDirection
from .transaction_page import TransactionPage
from .transaction_parties import TransactionParties
from .transaction_status import TransactionStatus
from .transaction_type import TransactionType
from .transfer import Transfer
from .transfer_data import TransferData
from .transfer_in import TransferIn
from .transfer_received_webhook import TransferReceivedWebhook
from .transfer_sender import TransferSender
from .transfer_sent_webhook import TransferSentWebhook
from .unfreeze_in import UnfreezeIn
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext
from .wallet import Wallet
from .wallet_data import WalletData
from .wallet_limits import WalletLimits
from .wallet_status import WalletStatus
from .webhook_attempt import WebhookAttempt
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_page import WebhookDeliveryPage
from .webhook_delivery_status import WebhookDeliveryStatus
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_disabled_reason_type_0 import WebhookEndpointDisabledReasonType0
from .webhook_endpoint_page import WebhookEndpointPage
from .webhook_endpoint_status import WebhookEndpointStatus
from .webhook_endpoint_with_secret import WebhookEndpointWithSecret
from .webhook_endpoint_with_secret_disabled_reason_type_0 import WebhookEndpointWithSecretDisabledReasonType0
from .webhook_endpoint_with_secret_status import WebhookEndpointWithSecretStatus
from .withdrawal_completed_webhook import WithdrawalCompletedWebhook
from .withdrawal_failed_data import WithdrawalFailedData
from .withdrawal_failed_webhook import WithdrawalFailedWebhook
from .withdrawal_in import WithdrawalIn

__all__ = (
    "AcceptIn",
    "AdminListDisputesApiV1AdminDisputesGetStatusType0",
    "AdminUserPage",
    "AdminWallet",
    "AdminWalletStatus",
    "Approval",
    "ApprovalPage",
    "ApprovalPayload",
    "ApprovalResultType0",
    "ApprovalStatus",
    "AuditEntry",
    "AuditEntryDetails",
    "AuditPage",
    "BankDestination",
    "BodyTokenApiV1AuthTokenPost",
    "CallbackAnswer",
    "CallbackAnswerStatus",
    "ClientCreated",
    "ClientCreateRequest",
    "ClientCreateRequestScopesItem",
    "ClientList",
    "ClientOut",
    "CodeRequest",
    "Counterparty",
    "Dispute",
    "DisputeIn",
    "DisputeInReason",
    "DisputePage",
    "DisputeReason",
    "DisputeRef",
    "DisputeRefReason",
    "DisputeRefStatus",
    "DisputeResolutionIn",
    "DisputeResolutionInOutcome",
    "DisputeRole",
    "DisputeStatus",
    "EmailChangeRequest",
    "EndpointCreate",
    "EndpointCreateEventsItem",
    "EndpointUpdate",
    "EndpointUpdateEventsType0Item",
    "EndpointUpdateStatusType0",
    "Favourite",
    "FavouriteIn",
    "FavouriteList",
    "FieldError",
    "FreezeIn",
    "FundingSource",
    "FundingSourceRef",
    "FundingSourceRefType",
    "FundingSourceType",
    "GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0",
    "GetStatementApiV1ReportsStatementGetFormat",
    "GetStatementApiV1ReportsStatementGetLangType0",
    "Granularity",
    "HTTPValidationError",
    "Jwk",
    "Jwks",
    "LimitOverrides",
    "LimitsIn",
    "ListApprovalsApiV1AdminApprovalsGetStatusType0",
    "ListDisputesApiV1DisputesGetStatusType0",
    "ListRequestsApiV1PaymentRequestsGetRoleType0",
    "ListRequestsApiV1PaymentRequestsGetStatusType0",
    "ListTransactionsApiV1TransactionsGetDirectionType0",
    "ListTransactionsApiV1TransactionsGetTypeType0",
    "LoginRequest",
    "LogoutRequest",
    "LookupResult",
    "Notification",
    "NotificationData",
    "NotificationPage",
    "Overview",
    "OverviewCounts",
    "OverviewDay",
    "OverviewUsers",
    "OverviewVolume",
    "Party",
    "PasswordChangeRequest",
    "PasswordForgotRequest",
    "PasswordResetRequest",
    "PaymentLink",
    "PaymentLinkIn",
    "PaymentLinkPage",
    "PaymentLinkStatus",
    "PaymentRequest",
    "PaymentRequestCreatedWebhook",
    "PaymentRequestData",
    "PaymentRequestDataRole",
    "PaymentRequestIn",
    "PaymentRequestPage",
    "PaymentRequestPaidWebhook",
    "PaymentRequestStatus",
    "PhoneChangeRequest",
    "PinRequest",
    "PlatformHealth",
    "PlatformHealthServices",
    "PlatformHealthServicesAdditionalProperty",
    "PlatformHealthStatus",
    "Preferences",
    "PreferencesLanguage",
    "PreferencesPatch",
    "PreferencesPatchLanguageType0",
    "Problem",
    "ProfileOut",
    "ProfilePatch",
    "ReceiveCode",
    "RecentRecipient",
    "RecentRecipients",
    "Reconciliation",
    "ReconciliationItem",
    "RefreshRequest",
    "RefundCreatedWebhook",
    "RefundData",
    "RefundDataRole",
    "RefundIn",
    "RefundRef",
    "RefundRefType",
    "RegisterRequest",
    "RegisterResponse",
    "ReplayAccepted",
    "ResolvedPaymentLink",
    "ScheduledTransfer",
    "ScheduledTransferIn",
    "ScheduledTransferInRepeat",
    "ScheduledTransferPage",
    "ScheduledTransferPatch",
    "ScheduledTransferPatchStatusType0",
    "ScheduledTransferRepeat",
    "ScheduledTransferStatus",
    "SessionList",
    "SessionOut",
    "Statement",
    "StatementCounterparty",
    "StatementItem",
    "StatementItemDirection",
    "Summary",
    "SummaryAmount",
    "SummaryBreakdown",
    "SummaryGranularity",
    "SummaryPoint",
    "TimelineStep",
    "TimelineStepStatus",
    "TokenResponse",
    "TopCounterparty",
    "TopupCompletedWebhook",
    "TopupIn",
    "Transaction",
    "TransactionDetail",
    "TransactionDetailDirection",
    "TransactionDetailStatus",
    "TransactionDetailType",
    "TransactionDirection",
    "TransactionPage",
    "TransactionParties",
    "TransactionStatus",
    "TransactionType",
    "Transfer",
    "TransferData",
    "TransferIn",
    "TransferReceivedWebhook",
    "TransferSender",
    "TransferSentWebhook",
    "UnfreezeIn",
    "ValidationError",
    "ValidationErrorContext",
    "Wallet",
    "WalletData",
    "WalletLimits",
    "WalletStatus",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookDeliveryPage",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEndpointDisabledReasonType0",
    "WebhookEndpointPage",
    "WebhookEndpointStatus",
    "WebhookEndpointWithSecret",
    "WebhookEndpointWithSecretDisabledReasonType0",
    "WebhookEndpointWithSecretStatus",
    "WithdrawalCompletedWebhook",
    "WithdrawalFailedData",
    "WithdrawalFailedWebhook",
    "WithdrawalIn",
)
