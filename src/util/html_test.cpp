// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/html.hpp"

#include <gtest/gtest.h>

namespace vicugna::util {
namespace {

using Values = std::vector<std::string>;

TEST(HtmlAttributeValues, MentionsOfTheWebEditorInOrderOnce) {
    std::string_view html =
        R"(<p>Hi <mention-user data-id="alice" data-label="alice">@alice</mention-user> and )"
        R"(<mention-user data-id="bob">@bob</mention-user>, <mention-user data-id="alice">@alice</mention-user></p>)";
    EXPECT_EQ(html_attribute_values(html, "mention-user", "data-id"), (Values{"alice", "bob"}));
}

TEST(HtmlAttributeValues, EntitiesCaseAndQuotes) {
    std::string_view html = R"(<MENTION-USER DATA-ID='o&amp;brien'></MENTION-USER><mention-user data-id=carol>)";
    EXPECT_EQ(html_attribute_values(html, "mention-user", "data-id"), (Values{"o&brien", "carol"}));
}

TEST(HtmlAttributeValues, OnlyTheNamedTagAndAttribute) {
    std::string_view html = R"(<mention-users data-id="x"></mention-users><mention-user data-label="y"></mention-user>)"
                            R"(<blockquote data-comment-id="12"><p>quoted</p></blockquote><p data-comment-id="13"></p>)";
    EXPECT_TRUE(html_attribute_values(html, "mention-user", "data-id").empty());
    EXPECT_EQ(html_attribute_values(html, "blockquote", "data-comment-id"), (Values{"12"}));
}

TEST(HtmlAttributeValues, BrokenOrEmptyHtml) {
    EXPECT_TRUE(html_attribute_values("", "mention-user", "data-id").empty());
    EXPECT_TRUE(html_attribute_values("plain @alice text", "mention-user", "data-id").empty());
    EXPECT_EQ(html_attribute_values(R"(<div><mention-user data-id="dave">)", "mention-user", "data-id"),
              (Values{"dave"}));
    EXPECT_EQ(html_attribute_values(R"(<mention-user data-id="">x</mention-user>)", "mention-user", "data-id"),
              (Values{}));
}

}  // namespace
}  // namespace vicugna::util
