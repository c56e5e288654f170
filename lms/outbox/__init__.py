"""The outbox: messages to outside systems, written in the transaction that caused them and
delivered afterwards by the worker, retried until acknowledged, in order per ordering key.

Any domain enqueues with `lms.outbox.delivery.enqueue`; a *destination* (`destinations.py`)
knows how to send one message somewhere (the payer's webhook is the first; the programme
connector's calls use the same queue).
"""
