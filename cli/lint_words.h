/* Common words for `briefing lint` (warning common-word): the most
 * frequent words of English and Russian, compiled by hand — function words,
 * frequent verbs, nouns, adjectives and adverbs (Russian in their dictionary
 * form, with the frequent forms of pronouns), proper names left out.  An
 * alias equal to one of them, ignoring case, is flagged for entries whose
 * language (xml:lang) is English or Russian.  Lower case, in any order;
 * lint sorts them.  Included by cli/lint.c only. */
#ifndef BRIEFING_LINT_WORDS_H
#define BRIEFING_LINT_WORDS_H

static const char *const lint_words_en[] = {
    /* function words */
    "a", "about", "above", "across", "after", "again", "against", "ago", "all",
    "almost", "along", "already", "also", "although", "always", "am", "among",
    "an", "and", "another", "any", "anyone", "anything", "are", "around", "as",
    "at", "away", "back", "be", "because", "been", "before", "behind", "being",
    "below", "between", "both", "but", "by", "can", "cannot", "could", "did",
    "do", "does", "done", "down", "during", "each", "either", "else", "enough",
    "even", "ever", "every", "everyone", "everything", "far", "few", "for",
    "from", "further", "had", "has", "have", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "however", "i", "if", "in",
    "inside", "instead", "into", "is", "it", "its", "itself", "just", "least",
    "less", "like", "many", "may", "me", "might", "mine", "more", "most",
    "much", "must", "my", "myself", "near", "neither", "never", "next", "no",
    "nobody", "none", "nor", "not", "nothing", "now", "of", "off", "often",
    "on", "once", "one", "only", "or", "other", "others", "our", "ours",
    "ourselves", "out", "over", "own", "per", "perhaps", "quite", "rather",
    "same", "several", "shall", "she", "should", "since", "so", "some",
    "someone", "something", "sometimes", "soon", "still", "such", "than",
    "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "though", "through", "thus", "to",
    "together", "too", "toward", "towards", "under", "until", "up", "upon",
    "us", "very", "was", "we", "well", "were", "what", "whatever", "when",
    "where", "whether", "which", "while", "who", "whole", "whom", "whose",
    "why", "will", "with", "within", "without", "would", "yes", "yet", "you",
    "your", "yours", "yourself",
    /* verbs */
    "add", "allow", "appear", "ask", "become", "began", "begin", "believe",
    "bring", "build", "buy", "call", "came", "change", "close", "come",
    "consider", "continue", "create", "cut", "decide", "die", "expect", "fall",
    "feel", "find", "follow", "found", "gave", "get", "give", "go", "got",
    "grow", "happen", "hear", "help", "hold", "include", "keep", "kill",
    "knew", "know", "lead", "learn", "leave", "let", "live", "look", "lose",
    "love", "made", "make", "mean", "meet", "move", "need", "offer", "open",
    "pass", "pay", "play", "provide", "pull", "put", "reach", "read",
    "remain", "remember", "report", "require", "run", "said", "saw", "say",
    "see", "seem", "sell", "send", "serve", "set", "show", "sit", "speak",
    "spend", "stand", "start", "stay", "stop", "suggest", "take", "talk",
    "tell", "think", "thought", "told", "took", "try", "turn", "understand",
    "use", "used", "wait", "walk", "want", "watch", "went", "win", "work",
    "write",
    /* nouns */
    "air", "area", "art", "book", "body", "business", "car", "case", "child",
    "children", "city", "company", "country", "day", "days", "door", "end",
    "eye", "eyes", "face", "fact", "family", "father", "force", "friend",
    "game", "government", "group", "hand", "head", "health", "history",
    "home", "hour", "house", "idea", "information", "issue", "job", "kind",
    "law", "level", "life", "line", "lot", "man", "member", "men", "minute",
    "moment", "money", "month", "morning", "mother", "name", "night",
    "number", "office", "order", "part", "party", "people", "person", "place",
    "point", "power", "problem", "program", "question", "reason", "result",
    "right", "room", "school", "service", "side", "state", "story", "study",
    "system", "team", "thing", "things", "time", "times", "war", "water",
    "way", "week", "woman", "women", "word", "words", "world", "year",
    "years",
    /* adjectives and adverbs */
    "able", "bad", "best", "better", "big", "black", "certain", "clear",
    "different", "early", "easy", "first", "free", "full", "good", "great",
    "high", "human", "important", "large", "last", "late", "later", "little",
    "local", "long", "low", "main", "major", "national", "new", "old",
    "possible", "public", "real", "really", "second", "short", "small",
    "social", "special", "strong", "sure", "today", "true", "two", "three",
    "white", "young",
};

static const char *const lint_words_ru[] = {
    /* служебные слова и местоимения */
    "а", "без", "более", "бы", "был", "была", "были", "было", "быть", "в",
    "вам", "вас", "ведь", "весь", "во", "вот", "впрочем", "все", "всё",
    "всего", "всех", "всегда", "вы", "где", "да", "даже", "для", "до", "его",
    "ее", "её", "ей", "ему", "если", "есть", "еще", "ещё", "же", "за", "здесь",
    "и", "из", "или", "им", "их", "к", "как", "какой", "когда", "кто", "ли",
    "либо", "между", "меня", "мне", "мой", "мы", "на", "над", "надо", "наш",
    "не", "него", "нее", "неё", "нет", "ни", "нибудь", "ним", "них", "но",
    "ну", "о", "об", "один", "одна", "одно", "он", "она", "они", "оно", "от",
    "очень", "перед", "по", "под", "после", "потом", "потому", "почти",
    "при", "про", "раз", "с", "сам", "свой", "себе", "себя", "сейчас", "со",
    "так", "также", "такой", "там", "тебе", "тебя", "тем", "теперь", "то",
    "тогда", "того", "тоже", "только", "том", "тот", "тут", "ты", "у", "уже",
    "хоть", "хотя", "чего", "чем", "через", "что", "чтобы", "чуть", "эта",
    "эти", "это", "этот", "я",
    /* глаголы */
    "брать", "взять", "видеть", "говорить", "давать", "дать", "делать",
    "думать", "ехать", "жить", "знать", "идти", "иметь", "казаться",
    "начать", "писать", "показать", "получить", "понимать", "понять",
    "помнить", "пойти", "прийти", "работать", "решить", "сделать", "сидеть",
    "сказать", "сказал", "смотреть", "спросить", "стать", "стоять",
    "считать", "хотеть", "читать", "мочь", "может", "можно", "нужно",
    "нельзя", "должен",
    /* существительные */
    "война", "вода", "вопрос", "время", "вид", "власть", "глаз", "год",
    "года", "голова", "город", "группа", "день", "деньги", "дело", "дом",
    "друг", "жизнь", "закон", "земля", "история", "конец", "лицо", "люди",
    "место", "мир", "минута", "момент", "народ", "начало", "неделя", "ночь",
    "область", "образ", "общество", "отец", "месяц", "мать", "право",
    "проблема", "работа", "рука", "ребенок", "ребёнок", "решение", "сила",
    "система", "слово", "случай", "совет", "союз", "сторона", "страна",
    "сын", "утро", "форма", "час", "часть", "человек", "член",
    /* прилагательные, наречия, числительные */
    "большой", "важный", "весьма", "вместе", "второй", "главный",
    "действительно", "другой", "каждый", "конечно", "лучше", "маленький",
    "много", "молодой", "новый", "общий", "первый", "плохо", "последний",
    "просто", "русский", "самый", "сегодня", "сразу", "старый", "хорошо",
    "хороший", "целый", "два", "три", "четыре", "пять", "десять", "сто",
    "тысяча",
};

#endif
