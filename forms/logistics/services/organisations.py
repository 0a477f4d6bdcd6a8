"""The refurbishing chain seen from the records: a pledge's supplier."""

from django.db import transaction

from content.models import Organisation
from portal.validators import normalise_siret


def find_supplier(pledge):
    """The organisation of the chain that made this pledge: same SIRET, else same name."""
    suppliers = Organisation.objects.all()
    siret = normalise_siret(pledge.siret)
    if siret:
        found = suppliers.filter(siret=siret).first()
        if found is not None:
            return found
    return suppliers.filter(name__iexact=pledge.organisation_name.strip()).first()


def match_supplier(pledge, create=False):
    """Link the pledge to its supplier (found, or created from the pledge when
    ``create``); the organisation gets the supplier role. Returns it or None."""
    with transaction.atomic():
        supplier = find_supplier(pledge)
        if supplier is None and create:
            supplier = Organisation.objects.create(
                name=pledge.organisation_name,
                is_supplier=True,
                siret=normalise_siret(pledge.siret),
                address=pledge.address,
                postcode=pledge.postcode,
                city=pledge.city,
                contact_name=pledge.contact_name,
                contact_email=pledge.contact_email,
                contact_phone=pledge.contact_phone,
                is_published=False,  # a donor appears in the directory once they agree
            )
        if supplier is None:
            return None
        if not supplier.is_supplier:
            supplier.is_supplier = True
            supplier.save(update_fields=["is_supplier", "updated_at"])
        if pledge.supplier_id != supplier.pk:
            pledge.supplier = supplier
            pledge.save(update_fields=["supplier", "updated_at"])
            pledge.log_change(note=f"Fournisseur : {supplier.name}")
    return supplier
