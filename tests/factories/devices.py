"""Factories of devices and batches."""

import factory


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forms.Device"

    inventory_code = factory.Sequence(lambda n: f"EQ-TEST-{n + 1:05d}")
    device_type = "laptop"
    brand = "Dell"
    model_name = "Latitude 5490"
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    status = "received"


class DeviceBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forms.DeviceBatch"

    kind = "public_body"
    supplier_name = "Conseil départemental des Landes"


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A member of the refurbishing chain (content.Organisation)."""

    class Meta:
        model = "content.Organisation"

    name = factory.Sequence(lambda n: f"Atelier Solidaire {n + 1}")
    is_refurbisher = True
    postcode = "49000"
    city = "Angers"
    contact_email = factory.Sequence(lambda n: f"contact{n + 1}@atelier.example")


class LoanFactory(factory.django.DjangoModelFactory):
    """An ongoing association loan (use forms.logistics.services.loans to start one for real)."""

    class Meta:
        model = "forms.Loan"

    device = factory.SubFactory(DeviceFactory, status="lent", lent_to="Association")
    borrower_kind = "association"
    borrower_name = "Association Les Bons Clics"
    borrower_email = "asso@example.org"
