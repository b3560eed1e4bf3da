package language

// Result is the language of a text.
type Result struct {
	// Code is the ISO 639-1 code ("en", "pt", "zh"), the ISO 639-3 code for
	// a language that has none or that Parley does not map, or "" when the
	// text is too short or too ambiguous to tell.
	Code string
	// Confidence is the detector's confidence in Code, from 0 to 1; 0 when
	// Code is "".
	Confidence float64
}
