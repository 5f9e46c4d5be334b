// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/errors.hpp"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <cstring>

namespace vicugna::api {
namespace {

struct Entry {
    ErrorCode id;
    const char* name;
    int code;
    unsigned status;
    const char* message;
};

// The catalogue expanded a second time, exactly as errors.hpp expands it, to check every entry.
constexpr Entry kEntries[] = {
#define VICUGNA_ERROR(name, code, status, message) {ErrorCode::name, #name, code, status, message},
#include "api/error_codes.def"
#undef VICUGNA_ERROR
};

TEST(ErrorTable, VikunjaCodesAndStatuses) {
    EXPECT_EQ(info(ErrorCode::InvalidToken).code, 11);
    EXPECT_EQ(info(ErrorCode::InvalidToken).status, 401u);
    EXPECT_EQ(info(ErrorCode::WrongUsernameOrPassword).code, 1011);
    EXPECT_EQ(info(ErrorCode::WrongUsernameOrPassword).status, 403u);
    EXPECT_EQ(info(ErrorCode::InvalidData).code, 2002);
    EXPECT_EQ(info(ErrorCode::InvalidData).status, 412u);
    EXPECT_EQ(info(ErrorCode::InvalidModel).code, 2004);
    EXPECT_EQ(info(ErrorCode::InvalidModel).status, 400u);
    EXPECT_EQ(info(ErrorCode::FileTooLarge).code, 4013);
    EXPECT_EQ(info(ErrorCode::FileTooLarge).status, 413u);
    EXPECT_EQ(info(ErrorCode::SessionNotFound).code, 16001);
    EXPECT_EQ(info(ErrorCode::SessionNotFound).status, 404u);
    EXPECT_EQ(info(ErrorCode::UserDoesNotExist).code, 1005);
    EXPECT_EQ(info(ErrorCode::UserDoesNotExist).status, 404u);
    EXPECT_STREQ(info(ErrorCode::InvalidToken).message,
                 "missing, malformed, expired or otherwise invalid token provided");
}

TEST(ErrorTable, FrameworkErrorsCarryNoCode) {
    EXPECT_LT(info(ErrorCode::NotFound).code, 0);
    EXPECT_EQ(info(ErrorCode::NotFound).status, 404u);
    EXPECT_LT(info(ErrorCode::MethodNotAllowed).code, 0);
    EXPECT_EQ(info(ErrorCode::MethodNotAllowed).status, 405u);
    EXPECT_LT(info(ErrorCode::Internal).code, 0);
    EXPECT_EQ(info(ErrorCode::Internal).status, 500u);
}

TEST(ErrorTable, EveryEntryHasAnErrorStatusAndAMessage) {
    ASSERT_GT(std::size(kEntries), 40u);
    for (const Entry& e : kEntries) {
        SCOPED_TRACE(e.name);
        EXPECT_GE(e.status, 400u);
        EXPECT_LE(e.status, 599u);
        EXPECT_GT(std::strlen(e.message), 0u);
        // info() must return the entry of the same name: the enum and the table come from one list.
        const ErrorInfo& i = info(e.id);
        EXPECT_EQ(i.code, e.code);
        EXPECT_EQ(i.status, e.status);
        EXPECT_STREQ(i.message, e.message);
    }
}

TEST(ErrorType, DefaultsToTheCatalogueMessage) {
    Error plain(ErrorCode::ProjectDoesNotExist);
    EXPECT_EQ(plain.code(), ErrorCode::ProjectDoesNotExist);
    EXPECT_STREQ(plain.what(), "This project does not exist.");
    EXPECT_TRUE(plain.invalid_fields().empty());

    Error custom(ErrorCode::InvalidModel, "custom text");
    EXPECT_STREQ(custom.what(), "custom text");
}

TEST(ErrorType, InvalidFieldThrowsCode2002WithTheField) {
    try {
        invalid_field("title", "is required");
        FAIL() << "invalid_field returned";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::InvalidData);
        ASSERT_EQ(e.invalid_fields().size(), 1u);
        EXPECT_EQ(e.invalid_fields()[0], "title: is required");
    }
}

TEST(Render, CodeAndMessage) {
    http::Response r = render(Error(ErrorCode::InvalidToken));
    EXPECT_EQ(r.status, 401u);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, R"({"code":11,"message":"missing, malformed, expired or otherwise invalid token provided"})");

    r = render(Error(ErrorCode::WrongUsernameOrPassword));
    EXPECT_EQ(r.status, 403u);
    EXPECT_EQ(r.body, R"({"code":1011,"message":"Wrong username or password."})");
}

TEST(Render, FrameworkErrorsHaveOnlyAMessage) {
    http::Response r = render(Error(ErrorCode::NotFound));
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.body, R"({"message":"Not Found"})");

    r = render(Error(ErrorCode::MethodNotAllowed));
    EXPECT_EQ(r.status, 405u);
    EXPECT_EQ(r.body, R"({"message":"Method Not Allowed"})");
}

TEST(Render, GenericForbiddenKeepsCodeZero) {
    // Vikunja's CRUD handler answers a permission denial with code 0 in the body (spec §4.1).
    http::Response r = render(Error(ErrorCode::GenericForbidden));
    EXPECT_EQ(r.status, 403u);
    EXPECT_EQ(r.body, R"({"code":0,"message":"Forbidden"})");
}

TEST(Render, InvalidFieldsOnlyWhenGiven) {
    http::Response with = render(Error(ErrorCode::InvalidData, {}, {"title: is required", "hex_color: bad"}));
    EXPECT_EQ(with.status, 412u);
    EXPECT_EQ(with.body,
              R"({"code":2002,"message":"Invalid Data","invalid_fields":["title: is required","hex_color: bad"]})");

    http::Response without = render(Error(ErrorCode::InvalidData));
    EXPECT_EQ(without.body, R"({"code":2002,"message":"Invalid Data"})");
}

TEST(Render, OverriddenMessageIsEscapedJson) {
    http::Response r = render(Error(ErrorCode::InvalidModel, "bad \"value\"\n\\ here"));
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.body, R"({"code":2004,"message":"bad \"value\"\n\\ here"})");
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    ASSERT_FALSE(d.HasParseError());
    EXPECT_STREQ(d["message"].GetString(), "bad \"value\"\n\\ here");
}

TEST(Render, EveryEntryRendersValidJsonWithItsStatus) {
    for (const Entry& e : kEntries) {
        SCOPED_TRACE(e.name);
        http::Response r = render(Error(e.id));
        EXPECT_EQ(r.status, e.status);
        rapidjson::Document d;
        d.Parse(r.body.c_str());
        ASSERT_FALSE(d.HasParseError()) << r.body;
        ASSERT_TRUE(d.IsObject());
        EXPECT_STREQ(d["message"].GetString(), e.message);
        if (e.code < 0) {
            EXPECT_FALSE(d.HasMember("code")) << r.body;
        } else {
            ASSERT_TRUE(d.HasMember("code")) << r.body;
            EXPECT_EQ(d["code"].GetInt(), e.code);
        }
    }
}

}  // namespace
}  // namespace vicugna::api
