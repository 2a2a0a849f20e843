"""Compare what the files declare with the catalog and decide what to create, update or leave.

Reads the catalog with a fixed number of queries (whatever the number of products), checks the
actor's role (staff create domains; a lead imports products into their own domains), and holds
the governance rules of `products.services` by staging each product in memory: a product that
does not meet its mapped status's rules comes in at the highest status whose rules it meets.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import NotPermitted
from products import access, services
from products.interchange.governance import clean_or_report, errors_to_report, settle
from products.interchange.report import ImportReport
from products.interchange.specs import (
    ContractSpec,
    DomainSpec,
    ParsedCatalog,
    Plan,
    ProductPlan,
    ProductSpec,
)
from products.models import DataProduct, Domain, OutputPort, ProductConsumer

S = DataProduct.Status
SCALARS = (
    "name", "slug", "description", "status", "classification", "contains_pii", "schema",
    "freshness_sla_hours", "availability_target", "support_contact", "sunset_on", "external_id",
    "owner_ref",
)  # fmt: skip
CONTRACT = ("schema", "freshness_sla_hours", "availability_target", "support_contact")


def _is_staff(actor) -> bool:
    return actor is None or access.is_staff(actor)  # None: the operator at the command line


class Planner:
    """Builds a `Plan` from parsed specs, recording warnings and errors in the report."""

    def __init__(self, actor, report: ImportReport) -> None:
        self.actor = actor
        self.report = report
        self.plan = Plan()
        self.domains: dict[str, Domain] = {}
        self.by_domain: dict[str, dict[str, ProductPlan]] = {}  # slug → product key → plan

    # --- loading ---------------------------------------------------------------------------------

    def _load(self, parsed: ParsedCatalog) -> None:
        refs = {d.slug for d in parsed.domains}
        refs |= {slugify(p.domain) for p in parsed.products if p.domain}
        refs |= {slugify(c.domain) for c in parsed.contracts if c.domain}
        refs |= {slugify(c.domain) for p in parsed.products for c in p.consumers or []}
        self.domains = {d.slug: d for d in Domain.objects.filter(slug__in=refs)}
        consumers = ProductConsumer.objects.select_related("domain")
        existing = DataProduct.objects.filter(domain__in=self.domains.values()).prefetch_related(
            "tags", "output_ports", Prefetch("consumers", queryset=consumers)
        )
        for product in existing:
            slug = next(s for s, d in self.domains.items() if d.pk == product.domain_id)
            plan = ProductPlan(
                product=copy.copy(product),
                original=product,
                where="",
                tags=sorted(t.name for t in product.tags.all()),
                ports=sorted(
                    (p.kind, p.location, p.description) for p in product.output_ports.all()
                ),
                consumers=sorted(
                    (c.domain.slug, c.since, c.use_case) for c in product.consumers.all()
                ),
                domain_slug=slug,
            )
            plan.original_state = self._state(plan)
            self.by_domain.setdefault(slug, {})[self._key(product)] = plan
        if not _is_staff(self.actor):
            access.domain_ids(self.actor)  # read once, now, so the checks below cost nothing

    @staticmethod
    def _key(product: DataProduct) -> str:
        return product.external_id or f"slug:{product.slug}"

    @staticmethod
    def _state(plan: ProductPlan) -> tuple:
        p = plan.product
        return (*(getattr(p, f) for f in SCALARS), plan.tags, plan.ports, plan.consumers)

    # --- domains ---------------------------------------------------------------------------------

    def _domain(self, spec: DomainSpec) -> None:
        current = self.domains.get(spec.slug)
        if current is None:
            if not _is_staff(self.actor):
                raise NotPermitted(
                    _("Only staff create domains; %(d)s (%(f)s) does not exist in Upstream.")
                    % {"d": spec.slug, "f": spec.where}
                )
            domain = Domain(
                slug=spec.slug,
                name=spec.name,
                description=spec.description or "",
                owner_ref=spec.owner_ref,
            )
            self.domains[spec.slug] = domain
            self.plan.new_domains.append(domain)
            self.report.created["domains"] += 1
            return
        wanted = {"name": spec.name, "description": spec.description, "owner_ref": spec.owner_ref}
        changes = {k: v for k, v in wanted.items() if v is not None and getattr(current, k) != v}
        if not changes:
            self.report.unchanged["domains"] += 1
            return
        if not _is_staff(self.actor):
            if not access.is_lead(self.actor, current):
                raise NotPermitted(
                    _("Only leads of %(d)s (or staff) may change it.") % {"d": current}
                )
            if changes.pop("name", None) is not None:
                self.report.warn(
                    spec.where,
                    f"Domain {spec.slug}",
                    "metadata.title",
                    _("Only staff rename a domain; its name was kept."),
                )
        if not changes:
            self.report.unchanged["domains"] += 1
            return
        for name, value in changes.items():
            setattr(current, name, value)
        if current not in self.plan.changed_domains:
            self.plan.changed_domains.append(current)
        self.report.updated["domains"] += 1

    def _domain_for(self, ref: str | None, where: str, entity: str) -> str | None:
        slug = slugify(ref or "")
        if not slug:
            self.report.error(where, entity, "domain", _("Say which domain owns it."))
            return None
        if slug not in self.domains:
            if not _is_staff(self.actor):
                raise NotPermitted(
                    _("Only staff create domains; %(d)s (%(f)s) does not exist in Upstream.")
                    % {"d": slug, "f": where}
                )
            domain = Domain(slug=slug, name=ref)
            self.domains[slug] = domain
            self.plan.new_domains.append(domain)
            self.report.created["domains"] += 1
        domain = self.domains[slug]
        if not _is_staff(self.actor) and not access.is_lead(self.actor, domain):
            raise NotPermitted(
                _("You may import data products only into domains you lead; %(f)s names %(d)s.")
                % {"f": where, "d": slug}
            )
        return slug

    # --- products --------------------------------------------------------------------------------

    def _product(self, spec: ProductSpec) -> None:
        entity = f"DataProduct {spec.key}"
        slug = self._domain_for(spec.domain, spec.where, entity)
        if slug is None:
            return
        plans = self.by_domain.setdefault(slug, {})
        plan = plans.get(spec.key)
        wanted_slug = slugify(spec.slug or spec.name)[:80] or "product"
        if plan is None:  # adopt a product typed in by hand, matched by its slug
            adopt = plans.get(f"slug:{wanted_slug}")
            if adopt is not None:
                plan = plans[spec.key] = plans.pop(f"slug:{wanted_slug}")
        if plan is not None and plan.where:
            self.report.error(
                spec.where,
                entity,
                "id",
                _("Declared twice in this import (also in %(f)s).") % {"f": plan.where},
            )
            return
        if plan is None:
            product = DataProduct(domain=self.domains[slug], status=S.SHARED)
            plan = ProductPlan(product, None, "", [], [], [], slug, is_new=True)
            plans[spec.key] = plan
        plan.where = spec.where
        p = plan.product
        taken = {o.product.slug for o in plans.values() if o is not plan}
        if plan.is_new or (spec.slug and p.slug != wanted_slug):
            if wanted_slug in taken:
                if not plan.is_new:
                    wanted_slug = p.slug
                else:
                    n = 2
                    while f"{wanted_slug}-{n}" in taken:
                        n += 1
                    wanted_slug = f"{wanted_slug}-{n}"
            p.slug = wanted_slug
        p.external_id = spec.key
        p.name = spec.name
        for name in (
            "description",
            "owner_ref",
            "support_contact",
            "classification",
            "contains_pii",
            "sunset_on",
        ):
            value = getattr(spec, name)
            if value is not None:
                setattr(p, name, value)
        if spec.tags is not None:
            try:
                plan.tags = sorted(services.tag_names(spec.tags))
            except ValidationError as exc:
                self._errors(spec.where, entity, exc)
        if spec.ports is not None:
            plan.ports = sorted({port.key() for port in spec.ports})
            for kind, location, description in plan.ports:
                self._clean(
                    OutputPort(kind=kind, location=location, description=description),
                    spec.where,
                    entity,
                    exclude=["product"],
                )
        if spec.consumers is not None:
            plan.consumers = sorted(
                {(slugify(c.domain), c.since, c.use_case[:300]) for c in spec.consumers}
            )
        plan.target = spec.status

    def _contract(self, spec: ContractSpec) -> None:
        entity = f"DataContract for {spec.product}"
        slug = self._domain_for(spec.domain, spec.where, entity)
        if slug is None:
            return
        plans = self.by_domain.get(slug, {})
        plan = plans.get(spec.product) or next(
            (o for o in plans.values() if spec.product in (o.product.slug, o.product.name)), None
        )
        if plan is None:
            self.report.error(
                spec.where,
                entity,
                "dataProduct",
                _("%(d)s has no data product %(p)s (by id, slug or name).")
                % {"d": slug, "p": spec.product},
            )
            return
        for name in CONTRACT:
            value = getattr(spec, name)
            if value is not None:
                setattr(plan.product, name, value)
        before = tuple(getattr(plan.original, f, None) for f in CONTRACT)
        after = tuple(getattr(plan.product, f) for f in CONTRACT)
        had = any(v not in (None, "") for v in before)
        kind = "unchanged" if after == before else ("updated" if had else "created")
        getattr(self.report, kind)["contracts"] += 1
        plan.where = plan.where or spec.where

    def _clean(self, instance, where: str, entity: str, *, exclude: list[str]) -> bool:
        return clean_or_report(instance, self.report, where, entity, exclude=exclude)

    def _errors(self, where: str, entity: str, exc: ValidationError) -> None:
        errors_to_report(exc, self.report, where, entity)

    # --- the whole -------------------------------------------------------------------------------

    def build(self, parsed: ParsedCatalog) -> Plan:
        """Decide everything; counts go to the report as they are decided."""
        self._load(parsed)
        seen: set[str] = set()
        for spec in parsed.domains:
            if spec.slug in seen:
                self.report.error(
                    spec.where,
                    f"Domain {spec.slug}",
                    "metadata.name",
                    _("Declared twice in this import."),
                )
                continue
            seen.add(spec.slug)
            self._domain(spec)
        for spec in parsed.products:
            self._product(spec)
        for spec in parsed.contracts:
            self._contract(spec)
        self._check_domain_names()
        for slug, plans in self.by_domain.items():
            for plan in plans.values():
                if plan.where:  # declared or touched by this import
                    settle(plan, self.report)
                    self._consumers(plan, slug)
                    self._count(plan)
        return self.plan

    def _check_domain_names(self) -> None:
        names = {d.name.lower(): d for d in self.plan.new_domains + self.plan.changed_domains}
        for domain in names.values():
            self._clean(domain, "", f"Domain {domain.slug}", exclude=["leads", "members"])
        clashes = Domain.objects.annotate(lname=Lower("name")).filter(lname__in=names)
        for other in clashes:
            domain = names[other.name.lower()]
            if other.slug != domain.slug:
                self.report.error(
                    "",
                    f"Domain {domain.slug}",
                    "name",
                    _("The name %(n)s is taken by domain %(o)s.")
                    % {"n": domain.name, "o": other.slug},
                )

    def _consumers(self, plan: ProductPlan, slug: str) -> None:
        for consumer, _since, _use in plan.consumers:
            if consumer == slug:
                self.report.error(
                    plan.where,
                    plan.product.name,
                    "consumers",
                    _("A domain does not consume its own product."),
                )
            elif consumer not in self.domains:
                self.report.error(
                    plan.where,
                    plan.product.name,
                    "consumers",
                    _("No domain %(d)s in Upstream or in this import.") % {"d": consumer},
                )

    def _count(self, plan: ProductPlan) -> None:
        before = set(plan.original_state[-2]) if plan.original_state else set()
        self.report.created["output_ports"] += len(set(plan.ports) - before)
        self.report.unchanged["output_ports"] += len(set(plan.ports) & before)
        if plan.is_new:
            self.report.created["data_products"] += 1
        elif self._state(plan) == plan.original_state:
            self.report.unchanged["data_products"] += 1
            return
        else:
            self.report.updated["data_products"] += 1
        self.plan.products.append(plan)
