"""What a batch of rows names, loaded once per batch: devices by code, serial
number and refurbisher's reference, campaigns, pledges, batches, lots, sites and refurbishers (no query per row)."""

from content.models import CampaignPage, MediationSite, Organisation
from content.standards import normalise_text
from forms.kinds.pledge.models import DonorPledge
from forms.logistics.device_import.columns import LOOKUP_CHUNK
from forms.logistics.models.device import Device, DeviceBatch
from forms.logistics.models.lot import Lot


class BatchLookups:
    """The import's maps, reloaded by ``load_batch`` for every batch of rows."""

    def reset(self):
        self.by_code = {}
        self.by_serial = {}
        self.by_reference = {}  # (refurbisher pk, refurbisher's reference) -> device
        self.campaigns = self.pledges = self.batches = self.refurbishers = {}
        self.sites = self.lots = {}
        self.foreign_ids = set()
        self.seen_codes = set()
        self.seen_serials = set()

    def load_batch(self, rows):
        """Load what the batch's rows ({column: cell}) name."""

        def column(name, upper=True):
            values = set()
            for row in rows:
                value = normalise_text(row.get(name))
                if value:
                    values.add(value.upper() if upper else value)
            return sorted(values)

        codes = column("inventory_code")
        serials = column("serial_number", upper=False)
        self.by_code = {}
        self.by_serial = {}
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for device in Device.objects.filter(
                inventory_code__in=codes[start : start + LOOKUP_CHUNK]
            ):
                self.by_code[device.inventory_code.upper()] = device
        for start in range(0, len(serials), LOOKUP_CHUNK):
            for device in Device.objects.filter(
                serial_number__in=serials[start : start + LOOKUP_CHUNK]
            ):
                self.by_serial.setdefault(device.serial_number, device)
        # Devices by their refurbisher's own reference (matched when neither the code
        # nor the serial number is found), the same objects as above when found twice.
        loaded = {
            device.pk: device for device in (*self.by_code.values(), *self.by_serial.values())
        }
        references = column("refurbisher_reference", upper=False)
        self.by_reference = {}
        for start in range(0, len(references), LOOKUP_CHUNK):
            for device in Device.objects.filter(
                refurbisher_reference__in=references[start : start + LOOKUP_CHUNK],
                refurbisher__isnull=False,
            ):
                device = loaded.setdefault(device.pk, device)
                key = (device.refurbisher_id, device.refurbisher_reference)
                self.by_reference.setdefault(key, device)
        # Devices of the file the user may not see, judged as found (the rows change them).
        self.foreign_ids = set()
        if self.scope is not None:
            for device in loaded.values():
                if not self.scope.sees(device):
                    self.foreign_ids.add(device.pk)
        self.campaigns = self._load(
            CampaignPage.objects.only("pk", "slug"),
            "slug",
            column("campaign", False),
            insensitive=True,
        )
        self.pledges = self._load(
            DonorPledge.objects.only("pk", "reference", "campaign_id"),
            "reference",
            column("source_pledge"),
        )
        self.batches = self._load(
            DeviceBatch.objects.only("pk", "reference", "campaign_id"), "reference", column("batch")
        )
        self.lots = self._load(
            # campaign and site: what access.can_see reads, without a query per row
            Lot.objects.only("pk", "reference", "campaign_id", "site_id"),
            "reference",
            column("lot"),
        )
        self.sites = self._load(
            MediationSite.objects.only("pk", "identifier"),
            "identifier",
            column("site", False),
            insensitive=True,
        )
        names = column("refurbisher", False)
        refurbishers = {}
        organisations = Organisation.objects.filter(is_refurbisher=True)
        for organisation in organisations.filter(name__in=names):
            refurbishers[organisation.name.upper()] = organisation
        digits = ["".join(ch for ch in n if ch.isdigit()) for n in names]
        for organisation in organisations.filter(siret__in=[d for d in digits if len(d) == 14]):
            refurbishers[organisation.siret] = organisation
        if len(refurbishers) < len(names):  # names written in another case
            for organisation in organisations.only("pk", "name", "siret"):
                refurbishers.setdefault(organisation.name.upper(), organisation)
        self.refurbishers = refurbishers

    @staticmethod
    def _load(queryset, field_name, keys, insensitive=False):
        found = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            lookup = f"{field_name}__in"
            if insensitive:
                # exact values first, then a case-insensitive pass for the others
                for obj in queryset.filter(**{lookup: chunk}):
                    found[getattr(obj, field_name).upper()] = obj
                rest = [key for key in chunk if key.upper() not in found]
                for key in rest[:50]:
                    obj = queryset.filter(**{f"{field_name}__iexact": key}).first()
                    if obj is not None:
                        found[key.upper()] = obj
                continue
            for obj in queryset.filter(**{lookup: chunk}):
                found[getattr(obj, field_name).upper()] = obj
        return found
