"""Outbound event subscriptions: a URL that hears chosen event kinds in one format (JSON
envelope, Slack Block Kit, Teams Adaptive Card), signed, delivered through the outbox."""
