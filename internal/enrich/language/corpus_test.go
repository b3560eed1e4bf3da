package language

// posts are realistic customer posts and the language Detect should find;
// want "" means the post is too short or too noisy to tell.
var posts = []struct {
	name, text, want string
}{
	// English
	{"en delayed", "@SkyJetAir my flight has been delayed three times today and nobody at the gate can tell us anything. Absolutely ridiculous", "en"},
	{"en refund", "Still waiting for my refund after 6 weeks. Order #48213. This is unacceptable @ShopCo https://t.co/AbC123xyz", "en"},
	{"en app", "your app keeps logging me out every time I open it, please fix this", "en"},
	{"en short", "thanks!!", ""},
	{"en thanks team", "Thank you so much for sorting this out so quickly, great service", "en"},
	{"en mentions", "@a @b @c @d @e @f lol https://x.com/foo/status/1 https://t.co/zzz", ""},
	{"en rt", "RT @newsdesk: Major outage reported across the network, customers unable to call or text since this morning #outage", "en"},
	// Spanish
	{"es pedido", "Hola, hice un pedido hace dos semanas y todavía no ha llegado. ¿Me pueden ayudar por favor?", "es"},
	{"es factura", "@TelcoES me habéis cobrado dos veces la factura de este mes, quiero que me devolváis el dinero ya", "es"},
	{"es short", "gracias!!", ""},
	// French
	{"fr bagage", "Bonjour, mon bagage n'est jamais arrivé à Lyon et personne ne répond au téléphone. C'est honteux.", "fr"},
	{"fr remboursement", "J'attends toujours mon remboursement depuis un mois, pouvez-vous me dire où en est mon dossier ?", "fr"},
	// German
	{"de paket", "Mein Paket ist seit einer Woche unterwegs und die Sendungsverfolgung zeigt nichts an. Was ist da los?", "de"},
	{"de kuendigen", "Ich möchte meinen Vertrag kündigen, aber niemand antwortet auf meine E-Mails @Vodafone_de", "de"},
	// Italian
	{"it ordine", "Buongiorno, il mio ordine risulta consegnato ma non ho ricevuto niente. Potete verificare per favore?", "it"},
	// Portuguese
	{"pt conta", "Olá, minha conta foi bloqueada sem motivo e não consigo falar com ninguém do atendimento. Preciso de ajuda urgente", "pt"},
	// Dutch
	{"nl bezorging", "Mijn bestelling is vandaag niet bezorgd terwijl ik de hele dag thuis was. Wanneer komt hij wel?", "nl"},
	// Swedish
	{"sv faktura", "Hej! Jag har fått en faktura som jag redan har betalat. Kan ni kolla upp det här?", "sv"},
	// Polish
	{"pl paczka", "Dzień dobry, moja paczka utknęła w sortowni od pięciu dni. Kiedy w końcu do mnie dotrze?", "pl"},
	// Turkish
	{"tr siparis", "Merhaba, siparişim iki haftadır gelmedi ve müşteri hizmetlerine ulaşamıyorum. Lütfen yardımcı olun.", "tr"},
	// Russian
	{"ru zakaz", "Здравствуйте, мой заказ так и не пришёл, а деньги уже списали. Что мне делать?", "ru"},
	// Ukrainian
	{"uk zamovlennya", "Доброго дня, моє замовлення досі не доставили, хоча минув уже тиждень. Допоможіть, будь ласка.", "uk"},
	// Arabic
	{"ar talab", "مرحبا، طلبي لم يصل بعد رغم مرور أسبوعين، أرجو المساعدة في أقرب وقت", "ar"},
	// Hebrew
	{"he", "שלום, ההזמנה שלי עדיין לא הגיעה ואף אחד לא עונה לי בטלפון", "he"},
	// Hindi
	{"hi", "मेरा ऑर्डर अभी तक नहीं आया है और कोई जवाब नहीं दे रहा है, कृपया मदद करें", "hi"},
	// Japanese
	{"ja", "注文した商品がまだ届きません。いつ届くか教えてください。", "ja"},
	{"ja short", "ありがとうございます", "ja"},
	// Chinese
	{"zh", "我的订单已经两个星期了还没有到，客服电话也一直打不通，请尽快处理", "zh"},
	// Korean
	{"ko", "주문한 상품이 아직 도착하지 않았습니다. 확인 부탁드립니다.", "ko"},
	{"ko short", "감사합니다", "ko"},
	// Greek
	{"el", "Καλησπέρα, η παραγγελία μου δεν έχει φτάσει ακόμα. Μπορείτε να με ενημερώσετε;", "el"},
	// Indonesian
	{"id", "Halo kak, pesanan saya belum sampai padahal sudah seminggu. Tolong dibantu ya", "id"},
	// Vietnamese
	{"vi", "Chào shop, đơn hàng của mình vẫn chưa được giao, mong shop kiểm tra giúp mình nhé", "vi"},
	// Noise
	{"emoji only", "😡😡😡🔥🔥", ""},
	{"digits", "12345 678 #9 $AAPL", ""},
	{"empty", "", ""},
	{"hashtags only", "#fail #neveragain #customerservice", ""},
	// Markup: its tag names are not words of any language.
	{"html only", `<div class="content"><p>&nbsp;</p><p><br></p></div>`, ""},
	{"html page", `<html><head><title></title><style>p{margin:0;color:red}</style></head><body><table><tr><td></td></tr></table></body></html>`, ""},
	{"html comment and script", `<!-- generated --><script>var el = document.getElementById("app");</script><span></span>`, ""},
	{"html around words", `<p>Mi pedido no ha llegado y nadie me responde&nbsp;<b>por favor</b></p>`, "es"},
	{"html entities", "Bonjour, mon colis n&#39;est jamais arriv&eacute; &agrave; Lyon", "fr"},
	{"angle brackets in text", "I <3 your app but the update broke the login page", "en"},
}
