package mmp

import "testing"

func BenchmarkNormalizePlate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NormalizePlate("ab-123 cd"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEnvelope(b *testing.B) {
	body := []byte(`{"success":true,"data":[{"privateJobId":4,"privateJobLabel":"Filtre à air","lastJobDate":"2016-02-23","milageBasedEstimatedDate":"2032-08-01","periodicBasedEstimatedDate":null,"checkBasedEstimatedDate":null,"forecastInformations":null}],"message":"OK","errors":[]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeEnvelope(body); err != nil {
			b.Fatal(err)
		}
	}
}
