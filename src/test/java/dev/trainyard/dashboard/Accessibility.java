package dev.trainyard.dashboard;

import java.util.List;
import org.openqa.selenium.JavascriptExecutor;

/** What a keyboard or screen reader user would miss on the page shown. */
final class Accessibility {

    private Accessibility() {
    }

    /**
     * The view's controls without an accessible name (a label, aria-label or
     * aria-labelledby; a button's text), and its header cells without a scope, as the
     * start of their markup.
     */
    @SuppressWarnings("unchecked")
    static List<String> problems(JavascriptExecutor page) {
        return (List<String>) page.executeScript("""
                const view = document.getElementById('view');
                const controls = Array.from(view.querySelectorAll('input, select, textarea, button, [tabindex="0"]'))
                  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                    && !e.getAttribute('aria-labelledby') && !(e.tagName === 'BUTTON' && e.textContent.trim()));
                const headers = Array.from(view.querySelectorAll('th:not([scope])'));
                return [...controls, ...headers].map((e) => e.outerHTML.slice(0, 120));""");
    }

}
