"""What the catalog announces to the apps above it (it imports none of them): they connect to
these signals from their AppConfig.ready()."""

from django.dispatch import Signal

# Sent with ``product`` and ``actor`` inside the transaction that published a data product or
# moved it to `shared` or `product`: supply that may answer open requests (requests_app listens).
product_available = Signal()

# Sent with ``consumer_request`` and ``actor`` when a team asks to consume a product, and when the
# producing domain's leads confirm or decline it (notifications tells the people concerned).
consumer_requested = Signal()
consumer_decided = Signal()
