package language

import (
	"maps"
	"slices"
	"strings"
)

// lang is a language the function-word tally knows: one Parley's customers
// write in Latin or Cyrillic script.
type lang uint8

const (
	english lang = iota
	spanish
	french
	german
	italian
	portuguese
	dutch
	swedish
	danish
	norwegian
	finnish
	polish
	czech
	turkish
	romanian
	hungarian
	indonesian
	tagalog
	vietnamese
	russian
	ukrainian
	numLangs
)

// langCodes are the codes Detect returns, as in the rest of the package:
// ISO 639-1, "no" for Norwegian Bokmål, ISO 639-3 for Tagalog, which has no
// ISO 639-1 code.
var langCodes = [numLangs]string{
	english: "en", spanish: "es", french: "fr", german: "de", italian: "it",
	portuguese: "pt", dutch: "nl", swedish: "sv", danish: "da", norwegian: "no",
	finnish: "fi", polish: "pl", czech: "cs", turkish: "tr", romanian: "ro",
	hungarian: "hu", indonesian: "id", tagalog: "tgl", vietnamese: "vi",
	russian: "ru", ukrainian: "uk",
}

func (l lang) String() string { return langCodes[l] }

// functionWords are, for each language, a few dozen of its most frequent
// words: articles, pronouns, prepositions, conjunctions, auxiliaries and
// the adverbs every complaint has ("not", "still", "already", "very").
// They are what a post has in common with every other text in its language,
// whatever it is about, and short posts are full of them. A word belongs in
// every list of a language that uses it often ("de", "a", "en" are in
// many): a shared word then counts for each of them and tells them apart no
// better than it should.
//
// Lists are in lower case, with their accents. Words often typed without
// them ("si" for Romanian "și", "sie" for Polish "się") are listed both
// ways. One-letter words are listed where they are function words (Spanish
// "y", Polish "w", Russian "и"), and so are the pieces clean leaves of an
// elision: "don't" becomes "don t", "l'avion" "l avion".
var functionWords = [numLangs]string{
	english: `a an the and or but if so as of to in on at by for from with
		about after into over than then not no is are was were be been
		am have has had do does did can could will would should may i
		me my you your we us our they them their he him his she her it
		its this that these those there here what which who why when
		where how just still already again very all any some only also
		too don didn doesn isn wasn won t ll ve re m s thanks thank
		please hi hello`,
	spanish: `el la los las lo un una unos unas y o pero que de del al a
		en con por para sin sobre desde hasta es son está están estoy
		fue era ha han he hay ser yo me mi mis tu te se le les nos su
		sus usted ustedes ellos él ella este esta esto ese eso muy ya
		todavía aún no sí también cuando donde dónde como cómo qué
		porque nada más ni si hace puede pueden gracias hola favor`,
	french: `le la les l un une des du de d au aux à et ou mais que qu qui
		ne n pas plus je j me m moi tu te toi il elle on nous vous ils
		elles leur mon ma mes ton ta son sa ses notre votre vos ce c
		cet cette ces est suis sont était été ai as avez ont fait dans
		sur pour par avec sans chez en y très déjà encore toujours
		jamais rien personne où quand comment pourquoi quoi aussi si s
		peut pouvez merci bonjour plaît`,
	german: `der die das den dem des ein eine einen einem einer und oder
		aber denn dass ich mich mir mein meine meinen du dich dir dein
		er sie es wir uns unser ihr ihnen ihre sein seine man ist sind
		war waren bin bist hat habe haben hatte wird werden wurde kann
		können muss soll will nicht kein keine keinen noch schon auch
		nur sehr so da hier wo was wie warum wann wer mit von zu zum
		zur bei nach für auf aus an am im in um über seit ohne bis ja
		danke bitte hallo`,
	italian: `il lo la i gli le l un uno una d di del della dei delle da
		dal dalla in nel nella con su per tra fra a al alla ai e ed o
		ma che non più è sono sei era ho hai ha abbiamo hanno essere
		io mi me ti tu te si ci vi lui lei noi voi loro mio mia miei
		tuo tua suo sua questo questa quello come dove quando perché
		cosa chi anche ancora già molto poi se niente nessuno mai c
		può potete grazie buongiorno ciao favore`,
	portuguese: `o a os as um uma uns umas e ou mas que de do da dos das
		em no na nos nas ao aos à com por pelo pela para sem sobre até
		eu me mim meu minha meus você vocês voce tu te ele ela eles
		elas nós nosso nossa seu sua se lhe é são foi era está estão
		estou tem tenho ter ser estar já ainda muito não sim também
		quando onde como porque qual quem mais nada isso isto esse
		essa este esta aqui há pode podem obrigado obrigada olá oi
		favor`,
	dutch: `de het een en of maar dat die dit deze wat wie waar wanneer
		waarom hoe ik mij me mijn je jij jou jouw u uw hij zij ze wij
		we ons onze jullie hun is zijn was waren ben bent heb hebt
		heeft hebben had kan kunnen wil moet zal zou niet geen nog al
		ook wel heel erg er hier daar in op aan met van voor naar bij
		uit om over door tot sinds zonder toch dan nu ja bedankt
		alsjeblieft hallo`,
	swedish: `och att det som en ett den de jag du han hon vi ni dem oss
		mig dig sig min mitt mina din ditt er vår är var varit har
		hade ha blir blev kan kunde ska skulle vill måste inte ingen
		inget någon något i på av för med till från om under efter hos
		utan mot vid men eller så då nu här där hur vad varför när vem
		redan fortfarande också bara mycket igen ja tack hej snälla`,
	danish: `og at det som en et den de jeg du han hun vi i dem os mig dig
		sig min mit mine din dit jeres vores er var været har havde
		have bliver blev kan kunne skal skulle vil må ikke ingen noget
		nogen på af for med til fra om under efter hos uden mod ved
		men eller så da nu her der hvor hvad hvorfor hvornår når hvem
		allerede stadig også kun meget bare igen ja tak hej hallo`,
	norwegian: `og at det som en et ei den de jeg du han hun vi dere dem
		oss i meg deg seg min mitt mine din ditt deres vår er var vært
		har hadde ha blir ble kan kunne skal skulle vil må ikke ingen
		noe noen på av for med til fra om under etter hos uten mot ved
		men eller så da nå her der hvor hva hvorfor når hvem allerede
		fortsatt også kun bare mye veldig igjen å ja takk hei hallo`,
	finnish: `ja on ei en et se ne hän minä mä sinä sä me te he minun
		sinun hänen meidän teidän heidän mun sun olen olet olemme ovat
		oli ollut olla ole kun jos että mutta tai vai kuin myös vielä
		jo nyt niin vain mitä mikä miksi missä milloin kuka miten tämä
		tuo tämän sen siitä eikä enkä paljon kiitos hei`,
	polish: `i w we z ze na do od po o a u za to ten ta te tym tego jest
		są był była było być mam ma mają nie tak jak ale lub czy że bo
		już jeszcze też tylko bardzo się sie mnie mi mój moja moje
		mojego ja ty on ona my wy oni pan pani co kto gdzie kiedy
		dlaczego dla przez przy bez nic nikt tu jestem dziękuję proszę
		dzień dobry`,
	czech: `a i v ve z ze s se na do od po o u k ke za pro při bez je jsou
		byl byla bylo být jsem jste mám má mají není to ten ta ty tak
		jak ale nebo že protože už ještě také taky jen jenom velmi moc
		mi mě mne můj moje já on ona my vy oni co kdo kde kdy proč nic
		nikdo tady ano děkuji prosím dobrý den`,
	turkish: `ve bir bu şu o da de ile için icin gibi çok cok daha en ama
		fakat ya veya ki mi mı mu mü ne neden nasıl nerede kim ben sen
		biz siz onlar beni bana benim seni sana senin bizim var yok
		değil degil olan oldu olarak her hiç hala hâlâ artık sonra
		önce kadar lütfen teşekkürler teşekkür merhaba`,
	romanian: `și şi si sau dar că ca de din la în in pe cu pentru fără
		fara despre după dupa până pana un o unei unui a al ale este e
		sunt era fost am ai are au nu da mai foarte deja încă inca
		doar eu tu el ea noi voi ei ele mă ma mi îmi te se meu mea mei
		tău său sa acest această asta ce cine unde când cum care
		mulțumesc multumesc bună buna`,
	hungarian: `a az egy és is de hogy nem van volt lesz vannak nincs meg
		már még csak ez azt ezt én te ő mi ti ők nekem neked neki
		velem vagy mert ha mint mit miért hol mikor hogyan ki sem
		minden nagyon s köszönöm kérem szia`,
	indonesian: `yang dan di ke dari ini itu saya aku kamu anda kami kita
		dia mereka tidak tak belum sudah udah ada untuk dengan pada
		karena tapi tetapi atau juga sama lagi masih akan bisa mau
		harus apa kenapa mengapa kapan bagaimana siapa tolong kak ya
		nya dong sih aja banget sangat sekali padahal terima kasih
		halo`,
	tagalog: `ang ng mga sa na po ko ako ikaw ka siya kami tayo sila ito
		iyan iyon hindi pa at ay kung may wala lang din rin naman kasi
		pero para yung nang niyo ninyo namin natin nila mo niya ba opo
		kayo ano bakit saan kailan paano sino dito doon salamat
		kumusta`,
	vietnamese: `của và là có không được cho với này mình tôi bạn em anh
		chị các những một đã đang sẽ vẫn chưa rất thì mà nhưng để khi
		nào gì ở trong ra vào lại nhé ạ ơi cảm ơn chào`,
	russian: `и в во на не что это как но а я ты он она мы вы они меня мне
		мой моя мое моё мои вас вам его её ее их у к с со о об от до
		по за из для без при уже ещё еще тоже также только очень так
		там тут здесь где когда почему зачем кто чтобы если или ли же
		бы был была было были есть нет да все всё может можно нужно
		надо спасибо пожалуйста здравствуйте привет`,
	ukrainian: `і й та в у на не що це як але а я ти він вона ми ви вони
		мене мені мій моя моє мої вас вам його її їх до від з із зі за
		по о про для без при вже ще теж також тільки дуже так там тут
		де коли чому хто щоб якщо або чи ж б був була було були є
		немає все всі можна треба будь ласка дякую привіт доброго`,
}

// maxWordBytes bounds the words the tally looks up; no function word is
// longer, and a longer run of letters is skipped without being lowered.
const maxWordBytes = 24

// langSet is a set of langs, one bit each.
type langSet uint32

// wordLangs maps each function word to the languages that use it.
var wordLangs = func() map[string]langSet {
	m := make(map[string]langSet, 1200)
	for l, words := range functionWords {
		for _, w := range strings.Fields(words) {
			m[w] |= 1 << l
		}
	}
	return m
}()

// functionWordTable is wordLangs as an open-addressing hash table, looked up
// with a hash that the tally computes as it lowers a word: every word of a
// post is looked up, and a map would hash it again, at several times the
// cost.
var functionWordTable = func() *wordTable {
	size := 1
	for size < 2*len(wordLangs) {
		size *= 2
	}
	t := &wordTable{slots: make([]wordSlot, size), mask: uint32(size - 1)}
	// In a fixed order, so that every process probes the same slots.
	for _, w := range slices.Sorted(maps.Keys(wordLangs)) {
		set := wordLangs[w]
		var h uint32 = hashSeed
		for i := 0; i < len(w); i++ {
			h = hashByte(h, w[i])
		}
		i := h & t.mask
		for t.slots[i].word != "" {
			i = (i + 1) & t.mask
		}
		t.slots[i] = wordSlot{word: w, set: set}
	}
	return t
}()

type wordTable struct {
	slots []wordSlot // a power of two, at most half full
	mask  uint32
}

type wordSlot struct {
	word string
	set  langSet
}

// hashSeed and hashByte are FNV-1a.
const hashSeed uint32 = 2166136261

func hashByte(h uint32, c byte) uint32 { return (h ^ uint32(c)) * 16777619 }

// get returns the languages of the lower-case word w, whose hash is h.
func (t *wordTable) get(w []byte, h uint32) langSet {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.word == string(w) {
			return s.set
		}
		if s.word == "" {
			return 0
		}
	}
}
