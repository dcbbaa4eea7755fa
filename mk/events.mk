# Events, notifications and reports: outbox relays, notification-service, reporting-service.
.PHONY: test-events rebuild-reports rebuild-directory bench-events bench-notification-batch reconcile

# `make bench` (if defined in mk/bench.mk) runs every step listed here.
BENCH_STEPS += bench-events

test-events: install ## outbox relay, notification and reporting tests (in-process and through the stack)
	@$(PYTEST) -q services/outbox-relay/tests services/notification-service/tests \
		services/reporting-service/tests

rebuild-reports: install ## rebuild the reporting read model by replaying the event logs (stack from `make up` running)
	@$(VENV_PY) -m instapay_stack.cli rebuild-reports

rebuild-directory: install ## rebuild the transaction service's recipient directory from the user service (stack from `make up` running)
	@$(VENV_PY) -m instapay_stack.cli rebuild-directory

# EVENTS_BENCH_ARGS=--skip-relay measures the summary alone.
bench-events: install ## reporting summary p95 over a year for a 100k-transaction user, and outbox relay events/s
	@$(VENV_PY) infrastructure/bench/events_bench.py $(EVENTS_BENCH_ARGS)

# NOTIFY_BENCH_ARGS e.g. --events 1000 --batch 100 --rounds 1; not part of `make bench`.
bench-notification-batch: install ## notification writer events/s and CPU/event: one by one, batched, batches with a poison event
	@$(VENV_PY) infrastructure/bench/notification_batch_bench.py $(NOTIFY_BENCH_ARGS)

reconcile: install ## reconcile the funding provider's settlement report of DATE=YYYY-MM-DD (default yesterday) with the ledger
	@$(VENV_PY) -m instapay_stack.cli reconcile $(if $(DATE),--date $(DATE))
