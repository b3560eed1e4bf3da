package x

// X bills its API by use: each post or DM event read, each post created and
// each DM sent. Parley counts them per inbox per month on the health line,
// in these categories; what they cost depends on the account's plan.
const (
	ChargePostRead    = "post read"
	ChargeDMRead      = "DM event read"
	ChargePostCreated = "post created"
	ChargeDMSent      = "DM sent"
)
