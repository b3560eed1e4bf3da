package language

import "testing"

// post280 is a 280-byte complaint, as long as a post on X may be.
const post280 = "@SkyJetAir my flight from Lisbon was cancelled last night, I rebooked on the app and it charged me twice for the same seat. The gate staff told me to call, the phone line hangs up after forty minutes. I need the duplicate charge refunded today. https://t.co/a1B2c3D4e5 #fail #help"

func BenchmarkDetect(b *testing.B) {
	if len(post280) != 280 {
		b.Fatalf("post is %d bytes, want 280", len(post280))
	}
	Detect(post280) // loads the models of a lazily built detector
	for b.Loop() {
		Detect(post280)
	}
}
