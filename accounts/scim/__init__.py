"""SCIM 2.0 provisioning (RFC 7643/7644) on scim2-models, with thin views of our own."""
