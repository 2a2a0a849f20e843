"""Work items: the Jira, Linear or GitHub issues that carry a request's delivery, and the signed
inbound webhooks of those trackers that keep each link's state."""
