"""The incentive: eligibility of verified completions, the payer's API, events to the payer.

Importing `lms.incentives.events` connects the ledger to certificate and rating events.
"""
