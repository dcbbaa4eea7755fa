"""`python -m outbox_relay --service <emitter>`: see outbox_relay.main."""

from outbox_relay.main import main

main()
