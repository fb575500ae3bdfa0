package cn.bazhong.credit.gateway.catalog;

/**
 * One legal basis (法律依据) of a measure: the document and the article in it. An article not yet
 * verified against the document's text is {@code articleToConfirm}: the article is then either absent
 * (null) or a reading still to be checked, and is shown as such; it is never presented as confirmed.
 *
 * @param document         the law, regulation, memorandum or plan, by name or number (e.g. 巴府办发〔2018〕68号)
 * @param article          the article, section or item in it (e.g. 二(三)11); null when still to be confirmed
 * @param articleToConfirm whether the article still has to be confirmed against the document's text
 */
public record LegalBasis(String document, String article, boolean articleToConfirm) {

    /** How the basis reads in answers and pushes: the document, then the article or （条款待确认）. */
    public String text() {
        if (article == null) {
            return document + (articleToConfirm ? "（条款待确认）" : "");
        }
        return document + " " + article + (articleToConfirm ? "（条款待确认）" : "");
    }
}
