// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/html.hpp"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <memory>

namespace vicugna::util {
namespace {

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct XmlFree {
    void operator()(xmlChar* text) const { xmlFree(text); }
};

const char* chars(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

void collect(xmlNode* node, const std::string& tag, const std::string& attribute, std::vector<std::string>& out) {
    for (; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && tag == chars(node->name)) {
            std::unique_ptr<xmlChar, XmlFree> value(
                xmlGetProp(node, reinterpret_cast<const xmlChar*>(attribute.c_str())));
            if (value && *value && std::find(out.begin(), out.end(), chars(value.get())) == out.end()) {
                out.emplace_back(chars(value.get()));
            }
        }
        collect(node->children, tag, attribute, out);
    }
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

std::vector<std::string> html_attribute_values(std::string_view html, std::string_view tag, std::string_view attribute) {
    // libxml2 must be initialised once before threads use it; a function-local static does that exactly once.
    static const bool initialised = (xmlInitParser(), true);
    (void)initialised;
    std::vector<std::string> values;
    if (html.empty()) return values;
    // libxml2's HTML parser lower-cases element and attribute names, keeps unknown elements such as
    // <mention-user>, and recovers from broken markup; it never touches the network.
    constexpr int kOptions = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                             HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT;
    std::unique_ptr<xmlDoc, DocFree> doc(
        htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", kOptions));
    if (!doc) return values;
    collect(doc->children, lower(tag), lower(attribute), values);
    return values;
}

}  // namespace vicugna::util
