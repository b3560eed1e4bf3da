package influence

// Band is a range of follower counts, for reporting how fast each is
// answered. The lower bound of each band is in it: 1,000 followers is
// "1k–10k".
type Band string

// Bands, from the smallest accounts to the largest.
const (
	BandUnder1K   Band = "under 1k"
	Band1KTo10K   Band = "1k–10k"
	Band10KTo100K Band = "10k–100k"
	Band100KTo1M  Band = "100k–1M"
	BandOver1M    Band = "over 1M"
)

// Bands returns every band, from the smallest accounts to the largest.
func Bands() []Band {
	return []Band{BandUnder1K, Band1KTo10K, Band10KTo100K, Band100KTo1M, BandOver1M}
}

// BandOf returns the band of an account with this many followers; a
// negative count is under 1k.
func BandOf(followers int64) Band {
	switch {
	case followers < 1_000:
		return BandUnder1K
	case followers < 10_000:
		return Band1KTo10K
	case followers < 100_000:
		return Band10KTo100K
	case followers < 1_000_000:
		return Band100KTo1M
	}
	return BandOver1M
}
