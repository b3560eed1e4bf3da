package email

import "testing"

func TestStripQuoted(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, text, want string
	}{
		{"no quote", "Hello,\nwhere is my order?", "Hello,\nwhere is my order?"},
		{"gmail attribution and quote",
			"Thanks!\n\nOn Wed, Nov 20, 2024 at 6:10 PM Acme <support@acme.example.com> wrote:\n\n> Hi Jane\n> it ships today.\n",
			"Thanks!"},
		{"attribution wrapped over two lines",
			"Thanks!\n\nOn Wed, Nov 20, 2024 at 6:10 PM Acme Support <support@acme.example.com>\nwrote:\n> Hi Jane",
			"Thanks!"},
		{"apple mail attribution",
			"Yes please.\n\n> On 20 Nov 2024, at 18:10, Acme Support <support@acme.example.com> wrote:\n> \n> Shall we refund?",
			"Yes please."},
		{"french attribution",
			"Merci !\n\nLe mer. 20 nov. 2024 à 18:10, Acme <support@acme.example.com> a écrit :\n> Bonjour",
			"Merci !"},
		{"german attribution",
			"Danke!\n\nAm Mi., 20. Nov. 2024 um 18:10 Uhr schrieb Acme <support@acme.example.com>:\n> Hallo",
			"Danke!"},
		{"outlook original message",
			"Works now.\n\n-----Original Message-----\nFrom: Acme\nSent: Wednesday\nSubject: Re: x\n\nHi",
			"Works now."},
		{"outlook header block under a rule",
			"Works now.\n\n________________________________\nFrom: Acme Support <support@acme.example.com>\nSent: Wednesday, November 20, 2024 6:10 PM\nTo: Tom\nSubject: Re: Order\n\nHi Tom",
			"Works now."},
		{"outlook block with Date and bold markers",
			"Works now.\n*From:* Acme\n*Date:* 20 November\n*Cc:* x\n*Subject:* Re: Order\nHi",
			"Works now."},
		{"outlook html as text, under a horizontal rule",
			"Works now.\n———\nFrom: Acme Support <support@acme.example.com>\nSent: Wednesday\nTo: Tom\nSubject: Re: Order\nHi",
			"Works now."},
		{"german outlook block",
			"Geht jetzt.\n\nVon: Acme Support\nGesendet: Mittwoch, 20. November 2024 18:10\nAn: Tom\nBetreff: AW: Bestellung\n\nHallo",
			"Geht jetzt."},
		{"trailing quote without attribution", "Sounds good.\n\n> Shall we refund?\n> Acme\n\n", "Sounds good."},
		{"inline answers are kept",
			"On Wed, Acme wrote:\n> Which size?\nM\n> Which colour?\nBlue",
			"On Wed, Acme wrote:\n> Which size?\nM\n> Which colour?\nBlue"},
		{"inline answers then a trailing quote",
			"> Which size?\nM\n\n> Thanks\n> Acme",
			"> Which size?\nM"},
		{"a quote-only message is kept whole", "> Hi\n> there", "> Hi\n> there"},
		{"From: alone is no separator", "From: my phone\nSubject to your approval, yes.", "From: my phone\nSubject to your approval, yes."},
		{"on ... wrote without quote after it is kept",
			"On Monday your colleague wrote:\nthat I would get a refund.",
			"On Monday your colleague wrote:\nthat I would get a refund."},
		{"a mention of the original message is no separator",
			"As in the original message, it is broken.", "As in the original message, it is broken."},
		{"forwarded message marker is not cut",
			"See below.\n\n---------- Forwarded message ---------\nFrom: Bank\nDate: Mon\nSubject: Charge\n\nYou were charged twice.",
			"See below.\n\n---------- Forwarded message ---------\nFrom: Bank\nDate: Mon\nSubject: Charge\n\nYou were charged twice."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := stripQuoted(tt.text); got != tt.want {
				t.Errorf("stripQuoted(%q) =\n%q\nwant\n%q", tt.text, got, tt.want)
			}
		})
	}
}
