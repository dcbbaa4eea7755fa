"""`python -m outbox_relay --service <emitter>`: see outbox_relay.main."""

from outbox_relay.main import main

if __name__ == "__main__":
    main()
