"""A payment service provider (PSP) stand-in: charges, payouts, signed callbacks, settlement
reports and switchable faults, over the HTTP API of docs/PROVIDER_SIMULATOR.md."""
