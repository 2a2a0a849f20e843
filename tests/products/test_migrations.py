"""Data migrations do what they say on data that existed before them."""


def test_domains_with_a_webhook_and_no_secret_get_one(migrator):
    before, after = [("products", "0001_initial")], [("products", "0002_backfill_webhook_secrets")]
    Domain = migrator.migrate(before).get_model("products", "Domain")
    hooked = Domain.objects.create(name="Ads", slug="ads", webhook_url="https://hooks.example/a")
    quiet = Domain.objects.create(name="Jobs", slug="jobs")
    Domain = migrator.migrate(after).get_model("products", "Domain")
    assert len(Domain.objects.get(pk=hooked.pk).webhook_secret) >= 40
    assert Domain.objects.get(pk=quiet.pk).webhook_secret == ""
