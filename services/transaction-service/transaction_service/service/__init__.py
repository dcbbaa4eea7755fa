"""Use cases of the transaction service, one module per use case. No SQL here: statements live in
`transaction_service.repository`; these modules decide, check, and own the transaction boundaries
(`instapay_common.db.rawsql.transaction`/`connection`)."""
