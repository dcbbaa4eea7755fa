# Proof under load, faults and attack (issue 9): the security suite, the bank test, schemathesis.
.PHONY: test-proof soak

TEST_SUITES += test-proof

test-proof: install ## security suite (OWASP API Top 10), schemathesis, short bank test with faults
	@echo "==> proof: security suite, schemathesis, bank test (short)"
	@$(PYTEST) -q -p no:cacheprovider infrastructure/proof/tests

soak: install ## the bank test for 10 minutes under faults; report in test-artifacts/soak-report.json
	@BANK_DURATION=$${BANK_DURATION:-600} $(PYTEST) -q -s -p no:cacheprovider infrastructure/proof/tests/test_bank.py
