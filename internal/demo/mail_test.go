package demo

import (
	"bytes"
	"log/slog"
	"net/mail"
	"strings"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// A customer's email lands in the care mailbox; a reply submitted as
// Parley submits it is found in the customer's own mailbox, and their
// answer to it is "Re:" its subject, names it in In-Reply-To and
// References, and quotes it below.
func TestMailThread(t *testing.T) {
	t.Parallel()
	m, err := newMailSite(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	who := &customer{key: "c1", kind: emailMessage, name: "Lucía García", lang: "es", id: "lucia.garcia1@example.net"}
	first, err := m.write(who, message{who: who, text: "Me han cobrado dos veces la factura. ¿Podéis devolverme el dinero?"})
	if err != nil {
		t.Fatal(err)
	}
	box, err := m.imap.Messages(careAddress, "INBOX")
	if err != nil || len(box) != 1 {
		t.Fatalf("care mailbox = %d messages, %v; want the customer's", len(box), err)
	}
	got, err := mail.ReadMessage(bytes.NewReader(box[0].Raw))
	if err != nil {
		t.Fatal(err)
	}
	if id := strings.Trim(got.Header.Get("Message-Id"), "<>"); id != first || got.Header.Get("In-Reply-To") != "" {
		t.Errorf("the customer's email has Message-ID %q and In-Reply-To %q, want %q and none", id, got.Header.Get("In-Reply-To"), first)
	}
	from, err := mail.ParseAddress(got.Header.Get("From"))
	if err != nil || from.Address != who.id || from.Name != who.name {
		t.Errorf("From = %q (%v), want %s <%s>", got.Header.Get("From"), err, who.name, who.id)
	}

	if r := m.received(); len(r) != 0 {
		t.Fatalf("replies found before any was sent: %+v", r)
	}
	reply := "From: " + careFrom + "\r\nTo: " + who.id + "\r\nSubject: Re: Me han cobrado dos veces la factura.\r\n" +
		"Date: Tue, 24 Nov 2026 09:30:00 +0000\r\nMessage-ID: <parley.abc123@orbitmobile.example>\r\n" +
		"In-Reply-To: <" + first + ">\r\nReferences: <" + first + ">\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"Hola Luc=C3=ADa, sentimos el cobro duplicado.\r\n"
	c, err := smtp.Dial(m.smtp.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Auth(sasl.NewPlainClient("", careAddress, m.password)); err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail(careAddress, []string{who.id}, strings.NewReader(reply)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	r := m.received()
	if len(r) != 1 || r[0].id != "parley.abc123@orbitmobile.example" || r[0].to != who.id || r[0].text != "Hola Lucía, sentimos el cobro duplicado.\n" {
		t.Fatalf("replies found in the mailbox = %+v, want the one sent", r)
	}
	if again := m.received(); len(again) != 0 {
		t.Errorf("the reply was found twice: %+v", again)
	}

	answer, err := m.write(who, message{who: who, text: "¡Gracias, ya funciona!", replyTo: r[0].id})
	if err != nil {
		t.Fatal(err)
	}
	box, err = m.imap.Messages(careAddress, "INBOX")
	if err != nil || len(box) != 2 {
		t.Fatalf("care mailbox = %d messages, %v; want the answer too", len(box), err)
	}
	got, err = mail.ReadMessage(bytes.NewReader(box[1].Raw))
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{
		"In-Reply-To": "<parley.abc123@orbitmobile.example>",
		"References":  "<" + first + "> <parley.abc123@orbitmobile.example>",
	} {
		if got.Header.Get(field) != want {
			t.Errorf("%s = %q, want %q", field, got.Header.Get(field), want)
		}
	}
	a, ok := findMail(box[1:], answer)
	if !ok || a.subject != "Re: Me han cobrado dos veces la factura." {
		t.Errorf("the answer's subject is %q (found %t), want Re: the reply's", a.subject, ok)
	}
	if !strings.HasPrefix(a.text, "¡Gracias, ya funciona!\n\nOn Tue, 24 Nov 2026 09:30:00 +0000, Orbit Mobile Care <care@orbitmobile.example> wrote:\n> Hola Lucía") {
		t.Errorf("the answer's body is %q, want the words, then the reply quoted", a.text)
	}
}

func TestBaseSubject(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Re: Re:  Roaming": "Roaming", "RE:Roaming": "Roaming", "Roaming": "Roaming", "Re": "Re", "": ""} {
		if got := baseSubject(in); got != want {
			t.Errorf("baseSubject(%q) = %q, want %q", in, got, want)
		}
	}
}
