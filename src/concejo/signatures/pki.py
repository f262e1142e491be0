"""A test certification authority and entity seal certificates (demo and tests only).

Production uses the seal certificate the entity obtains from a qualified
provider (e.g. FNMT-RCM); this module only makes look-alikes for the embedded
mode and the test suite, clearly named as tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str, organization: str, nif: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ES"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if nif:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"VATES-{nif}"))
    return x509.Name(attributes)


def create_test_pki(
    *, directory: Path, entity_name: str, nif: str, password: str, days: int = 825
) -> tuple[Path, Path]:
    """Write `ca.pem` and `<nif>-seal.p12`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    # A negative `days` makes an already expired certificate (for tests of refusals).
    not_after = now + dt.timedelta(days=days)
    not_before = min(now, not_after - dt.timedelta(days=30))
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("Concejo AC de PRUEBAS", "Concejo (pruebas, sin validez legal)")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(max(not_after, now) + dt.timedelta(days=abs(days)))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    seal_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    seal_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"SELLO DE PRUEBAS {entity_name.upper()}", entity_name, nif))
        .issuer_name(ca_name)
        .public_key(seal_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = directory / "ca.pem"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    seal_path = directory / f"{nif}-seal.p12"
    seal_path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name=b"sello",
            key=seal_key,
            cert=seal_cert,
            cas=[ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
        )
    )
    seal_path.chmod(0o600)
    return ca_path, seal_path
