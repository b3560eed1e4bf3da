package mailtest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestDeliver(t *testing.T) {
	t.Parallel()
	imap, err := NewIMAP(IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer imap.Close()
	if err := imap.AddUser("jane@example.net", "pw"); err != nil {
		t.Fatal(err)
	}
	srv, err := NewSMTP(SMTPOptions{Username: "support", Password: "secret", Deliver: imap})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	msg := []byte("From: support@acme.example\r\nTo: jane@example.net\r\nSubject: hi\r\n\r\nHello\r\n")
	send := func(user, password string) error {
		c, err := smtp.Dial(srv.Addr)
		if err != nil {
			return err
		}
		defer c.Close()
		if user != "" {
			if err := c.Auth(sasl.NewPlainClient("", user, password)); err != nil {
				return err
			}
		}
		return c.SendMail("support@acme.example", []string{"Jane@Example.NET", "nobody@example.net"}, bytes.NewReader(msg))
	}
	var se *smtp.SMTPError
	if err := send("", ""); !errors.As(err, &se) || se.Code != 502 {
		t.Errorf("send without AUTH = %v, want 502", err)
	}
	if err := send("support", "guess"); !errors.As(err, &se) || se.Code != 535 {
		t.Errorf("send with a wrong password = %v, want 535", err)
	}
	srv.RejectNext(Reject{Step: "RCPT", Code: 450, Status: smtp.EnhancedCode{4, 2, 0}, Message: "Greylisted"})
	if err := send("support", "secret"); !errors.As(err, &se) || se.Code != 450 || se.Message != "Greylisted" {
		t.Errorf("send after RejectNext = %v, want the 450", err)
	}
	if err := send("support", "secret"); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].User != "support" || got[0].From != "support@acme.example" || len(got[0].To) != 2 || !bytes.Equal(got[0].Data, msg) {
		t.Fatalf("recorded %+v", got)
	}
	box, err := imap.Messages("jane@example.net", "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	if len(box) != 1 || !strings.HasPrefix(string(box[0].Raw), "Return-Path: <support@acme.example>\r\nFrom: support@acme.example") {
		t.Fatalf("Jane's mailbox = %+v, want the message with its Return-Path", box)
	}
	if n := imap.Count("EXAMINE"); n != 1 {
		t.Errorf("Messages opened the mailbox %d times read-only, want 1", n)
	}
}

func TestIMAPTLSAndDrop(t *testing.T) {
	t.Parallel()
	cert, _, err := NewCertificate()
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{TLSImplicit, TLSStartTLS} {
		s, err := NewIMAP(IMAPOptions{TLS: mode, Certificate: &cert})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddUser("u", "p"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Append("u", "INBOX", []byte("Subject: x\r\n\r\ny\r\n"), time.Now()); err != nil {
			t.Fatal(err)
		}
		if msgs, err := s.Messages("u", "INBOX"); err != nil || len(msgs) != 1 {
			t.Errorf("%s: Messages = %v, %v", mode, msgs, err)
		}
		s.DropConnections()
		if err := s.RecreateMailbox("u", "INBOX"); err != nil {
			t.Fatal(err)
		}
		if msgs, err := s.Messages("u", "INBOX"); err != nil || len(msgs) != 0 {
			t.Errorf("%s: after RecreateMailbox, Messages = %v, %v", mode, msgs, err)
		}
		s.Close()
	}
	if _, err := NewIMAP(IMAPOptions{TLS: TLSImplicit}); err == nil {
		t.Error("NewIMAP with TLS and no certificate succeeded")
	}
}
