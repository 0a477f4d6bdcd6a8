"""Factories of devices and batches (issue 6)."""

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
