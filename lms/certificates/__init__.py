"""Certificates: issuance on completion, the PDF with its QR code, the signed verifiable
credential, public verification and revocation."""
