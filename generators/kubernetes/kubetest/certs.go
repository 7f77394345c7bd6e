package kubetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// credentials are the files the API server and kubectl need: a CA, the
// server's certificate for 127.0.0.1, the service account signing key
// and a token file with one admin token.
type credentials struct {
	CA, Cert, Key, SAKey, Tokens string
	Token                        string
}

// writeCredentials generates fresh keys in dir. ECDSA P-256 keeps it
// fast; nothing leaves the test.
func writeCredentials(dir string) (credentials, error) {
	c := credentials{
		CA: filepath.Join(dir, "ca.crt"), Cert: filepath.Join(dir, "server.crt"), Key: filepath.Join(dir, "server.key"),
		SAKey: filepath.Join(dir, "sa.key"), Tokens: filepath.Join(dir, "tokens.csv"),
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return c, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "portschema test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return c, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return c, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return c, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "kube-apiserver"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return c, err
	}
	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return c, err
	}
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		return c, err
	}
	c.Token = big.NewInt(0).SetBytes(token).Text(36)
	for _, f := range []struct {
		path, kind string
		der        []byte
	}{{c.CA, "CERTIFICATE", caDER}, {c.Cert, "CERTIFICATE", der}} {
		if err := writePEM(f.path, f.kind, f.der); err != nil {
			return c, err
		}
	}
	for path, k := range map[string]*ecdsa.PrivateKey{c.Key: key, c.SAKey: saKey} {
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return c, err
		}
		if err := writePEM(path, "EC PRIVATE KEY", der); err != nil {
			return c, err
		}
	}
	return c, os.WriteFile(c.Tokens, []byte(c.Token+",admin,admin-uid,system:masters\n"), 0o600)
}

func writePEM(path, kind string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600)
}
