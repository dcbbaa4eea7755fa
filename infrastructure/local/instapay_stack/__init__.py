"""Local process orchestration for Mini-InstaPay: the engine behind `make up` and the e2e tests."""
